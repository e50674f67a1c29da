using System.Text.Json;
using Nexus.Cli;

namespace Nexus.Cli.Tests;

/// <summary><c>nexus handler run</c>: prints the result as JSON, exits 2 on usage errors, resumes from a journal.</summary>
public sealed class HandlerRunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nexus-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await NexusCommand.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task HandlerRun_ValidHandler_PrintsResultJsonAndExitsZero()
    {
        var file = File("count.js", "$state.count++; $emit.toast('hi'); return { count: $state.count, arg: $args.x };");

        var (code, stdout, stderr) = await RunAsync(
            "handler", "run", file, "--state", """{"count":1}""", "--args", """{"x":"y"}""");

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("success", root.GetProperty("status").GetString());
        Assert.Equal("""{"count":2,"arg":"y"}""", JsonSerializer.Serialize(root.GetProperty("returnValue")));
        Assert.Equal("count", root.GetProperty("stateMutations")[0].GetProperty("key").GetString());
        Assert.Equal("toast", root.GetProperty("events")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task HandlerRun_FailingHandler_PrintsErrorResultAndExitsZero()
    {
        var file = File("fail.js", "throw new Error('boom');");

        var (code, stdout, _) = await RunAsync("handler", "run", file);

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("error", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("EXECUTION_ERROR", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task HandlerRun_DeclaredCapabilitiesAndTimeout_AreApplied()
    {
        var file = File("denied.js", "$state.secret = 1;");

        var (code, stdout, _) = await RunAsync("handler", "run", file, "--capabilities", "state:read:*", "--timeout-ms", "500");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("PERMISSION_DENIED", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task HandlerRun_JournalFileAndOutcome_ResumesTheRun()
    {
        var file = File("ext.js", "$state.n = 1; const r = await $ext.svc.call('a'); return r * 2;");
        var (code, first, _) = await RunAsync("handler", "run", file, "--extension", "svc:call,other");
        Assert.Equal(0, code);
        using (var doc = JsonDocument.Parse(first))
        {
            Assert.Equal("suspended", doc.RootElement.GetProperty("status").GetString());
            Assert.Equal("svc", doc.RootElement.GetProperty("suspension").GetProperty("extensionName").GetString());
        }
        var saved = File("result.json", first);

        var (resumeCode, resumed, stderr) = await RunAsync("handler", "run", file, "--extension", "svc:call,other",
            "--state", """{"n":1}""", "--journal", "@" + saved, "--outcome", """{"success":true,"value":21}""");

        Assert.True(resumeCode == 0, stderr);
        using var result = JsonDocument.Parse(resumed);
        Assert.Equal("success", result.RootElement.GetProperty("status").GetString());
        Assert.Equal(42, result.RootElement.GetProperty("returnValue").GetInt32());
        Assert.Equal(0, result.RootElement.GetProperty("stateMutations").GetArrayLength());
    }

    [Theory]
    [InlineData("missing-file")]
    [InlineData("no-file")]
    [InlineData("bad-state-json")]
    [InlineData("state-not-object")]
    [InlineData("unknown-option")]
    [InlineData("option-without-value")]
    [InlineData("outcome-without-journal")]
    [InlineData("missing-journal-file")]
    [InlineData("bad-capability")]
    [InlineData("bad-extension")]
    [InlineData("bad-timeout")]
    [InlineData("unknown-command")]
    public async Task HandlerRun_UsageError_ExitsTwoWithAClearMessage(string scenario)
    {
        var file = File("ok.js", "return 1;");
        var (args, expected) = scenario switch
        {
            "missing-file" => (new[] { "handler", "run", Path.Combine(_dir, "nope.js") }, "not found"),
            "no-file" => (["handler", "run"], "exactly one handler file"),
            "bad-state-json" => (["handler", "run", file, "--state", "{count:"], "--state is not valid JSON"),
            "state-not-object" => (["handler", "run", file, "--state", "[1]"], "--state must be a JSON object"),
            "unknown-option" => (["handler", "run", file, "--frobnicate", "1"], "unknown option --frobnicate"),
            "option-without-value" => (["handler", "run", file, "--state"], "--state needs a value"),
            "outcome-without-journal" => (["handler", "run", file, "--outcome", """{"success":true}"""], "--outcome needs --journal"),
            "missing-journal-file" => (["handler", "run", file, "--journal", "@" + Path.Combine(_dir, "nope.json")], "not found"),
            "bad-capability" => (["handler", "run", file, "--capabilities", "state:read"], "--capabilities"),
            "bad-extension" => (["handler", "run", file, "--extension", "svc"], "NAME:METHOD"),
            "bad-timeout" => (["handler", "run", file, "--timeout-ms", "soon"], "--timeout-ms"),
            _ => (["handler", "frobnicate"], "unknown command"),
        };

        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("nexus: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains("usage:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_NoArguments_PrintsUsageAndExitsZero()
    {
        var (code, stdout, _) = await RunAsync();

        Assert.Equal(0, code);
        Assert.Contains("nexus handler run <file.js>", stdout, StringComparison.Ordinal);
    }
}
