using Nexus.Cli.Commands;

namespace Nexus.Cli;

/// <summary>The <c>nexus</c> command: dispatches verbs; usage errors exit 2, failed commands exit 1.</summary>
internal static class NexusCommand
{
    public const string Usage = """
        usage:
          nexus handler run <file.js> [--state JSON|@file] [--args JSON|@file] [--scope JSON|@file]
                [--capabilities a,b] [--extension NAME:METHOD,METHOD]... [--timeout-ms N] [--memory-mb N]
                [--journal JSON|@file] [--outcome JSON|@file]
          nexus panels create <definition.json|@file|->
          nexus panels list [--top N] [--continuation TOKEN]
          nexus panels get|state|delete <id>
          nexus panels trigger <id> <tool> [--args JSON|@file] [--wait [--wait-ms N]]
        handler run prints the run's ExecutionResult as JSON. To resume a suspended run, pass its journal (or its
        whole result) with --journal and the extension call's outcome, e.g. --outcome '{"success":true,"value":42}'.
        The panels verbs talk to a Nexus server: --server URL, else $NEXUS_SERVER, else http://localhost:3000. They
        print the server's JSON answer, or its error on stderr with exit code 1. trigger prints the run's result, or
        the 202 answer when the run outlives the server's wait; --wait then polls until the run finishes (at most
        --wait-ms, default 60000) and prints its final status.
        """;

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, Console.In, stdout, stderr);

    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return args switch
            {
                ["handler", "run", .. var rest] => await HandlerRunCommand.RunAsync(rest, stdout),
                ["panels", .. var rest] => await PanelsCommand.RunAsync(rest, stdin, stdout, Environment.GetEnvironmentVariable),
                [] or ["help"] or ["--help"] or ["-h"] => Help(stdout),
                _ => throw new UsageException($"unknown command '{string.Join(' ', args.Take(2))}'"),
            };
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"nexus: {ex.Message}");
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        catch (CommandFailedException ex)
        {
            await stderr.WriteLineAsync($"nexus: {ex.Message}");
            return 1;
        }
    }

    private static int Help(TextWriter stdout)
    {
        stdout.WriteLine(Usage);
        return 0;
    }
}
