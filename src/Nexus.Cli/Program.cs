using Nexus.Cli;

return await NexusCommand.RunAsync(args, Console.Out, Console.Error);
