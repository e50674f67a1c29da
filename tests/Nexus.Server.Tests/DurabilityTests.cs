using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Nexus.Server.Tests;

/// <summary>The durability tests kill Azurite, so they get an Azurite of their own.</summary>
[CollectionDefinition(Name)]
public sealed class DurabilityCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Durability";
}

/// <summary>
/// A run suspended on a slow HTTP call survives a crash of the server process (and of storage): it completes after a
/// restart, and the effects before and after its suspension are applied exactly once.
/// </summary>
/// <remarks>
/// Unavoidable waits: the killed server's activity message reappears only when its queue visibility timeout
/// (<c>DurableBackendOptions.WorkItemQueueVisibilityTimeout</c>, 15 s) expires, and the control-queue partition it
/// leased is taken over only when that lease expires. The storage test also waits past Azurite's save interval.
/// </remarks>
[Collection(DurabilityCollection.Name)]
public sealed class DurabilityTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private const string PanelId = "durable";

    // Counts what runs before and after the suspension, so a replay that re-applied effects would show.
    private const string Handler = """
        $state.before = ($state.before ?? 0) + 1;
        const r = await $ext.http.get($args.url);
        $state.after = ($state.after ?? 0) + 1;
        $state.got = r.data;
        return r.data;
        """;

    private static readonly TimeSpan CallPatience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RecoveryPatience = TimeSpan.FromSeconds(60);

    private readonly string _taskHub = AzuriteFixture.NewTaskHubName();
    private HeldEndpoint _endpoint = null!;
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await HeldEndpoint.StartAsync();
        _server = await ServerProcess.StartAsync(Environment());
    }

    public async Task DisposeAsync()
    {
        await EndServerAsync();
        await _endpoint.DisposeAsync();
        // The other test of the collection needs Azurite, whatever happened here.
        if (!azurite.IsRunning)
        {
            await azurite.StartAsync();
        }
    }

    [Fact]
    public async Task SuspendedRun_ServerKilled_CompletesAfterRestartWithEffectsOnce()
    {
        var run = await StartSuspendedRunAsync();

        await EndServerAsync();
        var clock = Stopwatch.StartNew();
        _server = await ServerProcess.StartAsync(Environment());
        output.WriteLine($"server restarted in {clock.ElapsedMilliseconds} ms");
        _endpoint.Release();

        await AssertCompletedOnceAsync(run, clock);
    }

    [Fact]
    public async Task SuspendedRun_ServerAndStorageKilled_CompletesAfterRestartWithEffectsOnce()
    {
        var run = await StartSuspendedRunAsync();
        // Real storage has the suspended run once it is acknowledged; Azurite only after its next save to disk.
        await Task.Delay(AzuriteFixture.SaveInterval + TimeSpan.FromSeconds(1));

        await EndServerAsync();
        await azurite.KillAsync();
        var clock = Stopwatch.StartNew();
        await azurite.StartAsync();
        _server = await ServerProcess.StartAsync(Environment());
        output.WriteLine($"storage and server restarted in {clock.ElapsedMilliseconds} ms");
        _endpoint.Release();

        await AssertCompletedOnceAsync(run, clock);
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["NEXUS_STORAGE"] = azurite.ConnectionString,
        ["NEXUS_TASK_HUB"] = _taskHub,
        ["HTTP_ALLOWED_DOMAINS"] = "127.0.0.1",
        // Longer than the whole test: the run must finish with the endpoint's answer, never by timing out.
        ["SUSPENSION_TIMEOUT_MS"] = "120000",
        ["HTTP_TIMEOUT"] = "100000",
        ["TRIGGER_WAIT_MS"] = "500",
        ["LOG_LEVEL"] = "warn",
    };

    /// <summary>Creates the panel and triggers a run that suspends; returns once the endpoint is being called.</summary>
    private async Task<Uri> StartSuspendedRunAsync()
    {
        var panel = new
        {
            id = PanelId,
            kind = "durability",
            tools = new[] { new { name = "fetch", handler = Handler } },
        };
        using var created = await _server.Client.PostAsJsonAsync("panels", panel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var accepted = await _server.Client.PostAsJsonAsync($"panels/{PanelId}/trigger/fetch", new { url = _endpoint.Url });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("suspended", (await ReadAsync(accepted))["status"]?.GetValue<string>());
        var run = accepted.Headers.Location ?? throw new InvalidOperationException("202 without a Location header");

        // The activity is now in flight: the crash will interrupt it.
        await _endpoint.WaitForFirstCallAsync(CallPatience);
        var state = await GetStateAsync();
        Assert.Equal(1, state["before"]?.GetValue<int>());
        Assert.Null(state["after"]);
        return run;
    }

    private async Task AssertCompletedOnceAsync(Uri run, Stopwatch sinceRestart)
    {
        var status = await PollRunAsync(run);
        output.WriteLine($"run {status["status"]} {sinceRestart.ElapsedMilliseconds} ms after the restart began; " +
            $"the endpoint was called {_endpoint.Calls} times");

        Assert.Equal("success", status["status"]?.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(HeldEndpoint.Answer), status["returnValue"]),
            $"unexpected result: {status.ToJsonString()}");
        var state = await GetStateAsync();
        Assert.Equal(1, state["before"]?.GetValue<int>());
        Assert.Equal(1, state["after"]?.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(HeldEndpoint.Answer), state["got"]), $"unexpected state: {state.ToJsonString()}");
    }

    /// <summary>Reads the run until it is no longer suspended, or <see cref="RecoveryPatience"/> passes.</summary>
    private async Task<JsonObject> PollRunAsync(Uri run)
    {
        var clock = Stopwatch.StartNew();
        var last = new JsonObject();
        while (clock.Elapsed < RecoveryPatience)
        {
            using var response = await _server.Client.GetAsync(run);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = await ReadAsync(response);
                if (last["status"]?.GetValue<string>() != "suspended")
                {
                    return last;
                }
            }
            await Task.Delay(200);
        }
        return last;
    }

    private async Task<JsonObject> GetStateAsync()
    {
        using var response = await _server.Client.GetAsync(new Uri($"panels/{PanelId}/state", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadAsync(response);
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())?.AsObject()
            ?? throw new InvalidOperationException("empty response body");

    // Kills the server as a crash would and keeps what it logged with the test's output.
    private async Task EndServerAsync()
    {
        await _server.DisposeAsync();
        output.WriteLine($"server {_server.BaseAddress} output:{System.Environment.NewLine}{_server.Output}");
    }
}
