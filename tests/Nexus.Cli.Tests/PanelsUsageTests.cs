using Nexus.Cli.Commands;

namespace Nexus.Cli.Tests;

/// <summary><c>nexus panels</c> without a server: usage errors, the server address, an unreachable server.</summary>
public sealed class PanelsUsageTests
{
    [Theory]
    [InlineData("panels needs a verb", "panels")]
    [InlineData("unknown panels verb 'frobnicate'", "panels", "frobnicate")]
    [InlineData("panels get takes <id>", "panels", "get")]
    [InlineData("panels trigger takes <id> <tool>", "panels", "trigger", "p1")]
    [InlineData("panels list takes no arguments", "panels", "list", "extra")]
    [InlineData("--top must be a whole number of at least 1", "panels", "list", "--top", "0")]
    [InlineData("--args is not valid JSON", "panels", "trigger", "p1", "t", "--args", "{nope")]
    [InlineData("the panel definition: file 'no-such-panel.json' not found", "panels", "create", "@no-such-panel.json")]
    [InlineData("the panel definition is not valid JSON", "panels", "create", "-")]
    [InlineData("--server must be an http(s) URL", "panels", "get", "p1", "--server", "ftp://example.com")]
    [InlineData("--wait-ms only makes sense with --wait", "panels", "trigger", "p1", "t", "--wait-ms", "10")]
    [InlineData("unknown option --wait", "panels", "get", "p1", "--wait")]
    [InlineData("--wait takes no value", "panels", "trigger", "p1", "t", "--wait=yes")]
    public async Task Usage_errors_exit_2_with_the_reason_before_contacting_any_server(string reason, params string[] args)
    {
        // A server that is not there: had the command gone past the usage checks, it would exit 1, not 2.
        string[] command = args.Contains("--server") ? args : [.. args, "--server", Unreachable()];
        var run = await CliRun.RunWithStdinAsync("{not json", command);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"nexus: {reason}", run.Stderr);
        Assert.Contains("usage:", run.Stderr);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task An_unreachable_server_exits_1_and_says_how_to_start_one()
    {
        var server = Unreachable();

        var run = await CliRun.RunAsync("panels", "list", "--server", server);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(
            $"nexus: cannot reach the Nexus server at {server} (is it running? start it with scripts/run.sh){Environment.NewLine}",
            run.Stderr);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void The_server_is_the_option_else_NEXUS_SERVER_else_localhost_3000()
    {
        Func<string, string?> withVariable = name => name == "NEXUS_SERVER" ? "http://nexus.example:8080" : null;

        Assert.Equal(new Uri("http://option.example/"), PanelsCommand.ServerAddress("http://option.example", withVariable));
        Assert.Equal(new Uri("http://nexus.example:8080/"), PanelsCommand.ServerAddress(null, withVariable));
        Assert.Equal(new Uri("http://localhost:3000/"), PanelsCommand.ServerAddress(null, _ => null));
        var bad = Assert.Throws<UsageException>(() => PanelsCommand.ServerAddress(null, _ => "localhost:3000"));
        Assert.StartsWith("NEXUS_SERVER must be an http(s) URL", bad.Message);
    }

    private static string Unreachable() => $"http://127.0.0.1:{NexusServerFixture.FreePort()}";
}
