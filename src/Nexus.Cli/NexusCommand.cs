using Nexus.Cli.Commands;

namespace Nexus.Cli;

/// <summary>The <c>nexus</c> command: dispatches verbs and turns usage errors into exit code 2.</summary>
internal static class NexusCommand
{
    public const string Usage = """
        usage:
          nexus handler run <file.js> [--state JSON|@file] [--args JSON|@file] [--scope JSON|@file]
                [--capabilities a,b] [--extension NAME:METHOD,METHOD]... [--timeout-ms N] [--memory-mb N]
                [--journal JSON|@file] [--outcome JSON|@file]
        Prints the run's ExecutionResult as JSON. To resume a suspended run, pass its journal (or its whole
        result) with --journal and the extension call's outcome, e.g. --outcome '{"success":true,"value":42}'.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return args switch
            {
                ["handler", "run", .. var rest] => await HandlerRunCommand.RunAsync(rest, stdout),
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
    }

    private static int Help(TextWriter stdout)
    {
        stdout.WriteLine(Usage);
        return 0;
    }
}
