using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Nexus.Cli.Tests;

/// <summary><c>nexus panels</c> against a real Nexus server on Azurite.</summary>
public sealed class PanelsServerTests(NexusServerFixture server) : IClassFixture<NexusServerFixture>
{
    [Fact]
    public async Task Create_list_get_trigger_state_and_delete_a_panel()
    {
        var id = NewPanelId();
        var file = Path.Combine(Path.GetTempPath(), $"{id}.json");
        await File.WriteAllTextAsync(file, Definition(id));
        try
        {
            var created = await Panels("create", file);
            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.Equal(id, created.Json.GetProperty("id").GetString());
            Assert.Contains($"{Environment.NewLine}  \"id\"", created.Stdout);

            var list = await Panels("list", "--top", "1000");
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.Contains(id, list.Json.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("id").GetString()));

            var panel = await Panels("get", id);
            Assert.True(panel.ExitCode == 0, panel.ToString());
            Assert.Equal("Clicks", panel.Json.GetProperty("title").GetString());
            Assert.Equal(["increment"], panel.Json.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));

            var result = await Panels("trigger", id, "increment", "--args", """{"by":2}""");
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("success", result.Json.GetProperty("status").GetString());
            Assert.Equal(43, result.Json.GetProperty("returnValue").GetProperty("count").GetInt32());

            var state = await Panels("state", id);
            Assert.True(state.ExitCode == 0, state.ToString());
            Assert.Equal(43, state.Json.GetProperty("count").GetInt32());

            var deleted = await Panels("delete", id);
            Assert.True(deleted.ExitCode == 0, deleted.ToString());
            Assert.Empty(deleted.Stdout);

            var gone = await Panels("get", id);
            Assert.True(gone.ExitCode == 1, gone.ToString());
            Assert.Contains($"Panel '{id}' not found", gone.Stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Create_reads_the_definition_from_stdin()
    {
        var id = NewPanelId();

        var created = await CliRun.RunWithStdinAsync(Definition(id), "panels", "create", "-", "--server", server.Url);
        var panel = await Panels("get", id);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(41, panel.Json.GetProperty("state").GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("Panel 'cli_missing' not found (PANEL_NOT_FOUND, HTTP 404)", "get", "cli_missing")]
    [InlineData("Panel 'cli_missing' not found (PANEL_NOT_FOUND, HTTP 404)", "trigger", "cli_missing", "increment")]
    [InlineData("top must be between 1 and 1000 (INVALID_QUERY, HTTP 400)", "list", "--top", "5000")]
    [InlineData("The panel definition is invalid: kind", "create", "-")]
    public async Task An_error_answer_exits_1_with_the_server_message_on_stderr(string message, params string[] args)
    {
        var run = await CliRun.RunWithStdinAsync("""{"tools":[]}""", ["panels", .. args, "--server", server.Url]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith($"nexus: {message}", run.Stderr);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task Trigger_prints_the_202_answer_of_a_suspended_run_and_wait_follows_it_to_its_end()
    {
        var id = NewPanelId();
        await CreateAsync(id, Fetching(id, $"{server.Url}/health"));

        var accepted = await Panels("trigger", id, "fetch");
        var finished = await Panels("trigger", id, "fetch", "--wait");

        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.Equal("suspended", accepted.Json.GetProperty("status").GetString());
        Assert.StartsWith($"/panels/{id}/runs/", accepted.Json.GetProperty("statusUrl").GetString());
        Assert.True(finished.ExitCode == 0, finished.ToString());
        Assert.Equal("success", finished.Json.GetProperty("status").GetString());
        Assert.Equal(200, finished.Json.GetProperty("returnValue").GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Wait_gives_up_after_wait_ms_with_exit_1()
    {
        // A listener that never answers holds the run's HTTP call open for as long as the test needs.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var id = NewPanelId();
        await CreateAsync(id, Fetching(id, $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/"));

        var run = await Panels("trigger", id, "fetch", "--wait", "--wait-ms", "300");
        await Panels("delete", id);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("nexus: the run is still suspended after 300 ms; follow it with GET /panels/", run.Stderr);
        Assert.Empty(run.Stdout);
    }

    private Task<CliRun> Panels(params string[] args) => CliRun.RunAsync(["panels", .. args, "--server", server.Url]);

    private async Task CreateAsync(string id, string definition)
    {
        var created = await CliRun.RunWithStdinAsync(definition, "panels", "create", "-", "--server", server.Url);
        Assert.True(created.ExitCode == 0, created.ToString());
    }

    private static string NewPanelId() => $"cli_{Guid.NewGuid():N}"[..12];

    private static string Definition(string id) => JsonSerializer.Serialize(new
    {
        id,
        kind = "counter",
        title = "Clicks",
        initialState = new { count = 41 },
        tools = new[] { new { name = "increment", handler = "$state.count += $args.by ?? 1; return { count: $state.count };" } },
    });

    private static string Fetching(string id, string url) => JsonSerializer.Serialize(new
    {
        id,
        kind = "fetcher",
        tools = new[] { new { name = "fetch", handler = $"const r = await $ext.http.get('{url}'); return {{ status: r.status }};" } },
    });
}
