using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Json;
using Nexus.Server.Configuration;
using Nexus.Server.Hosting;

namespace Nexus.Benchmarks;

/// <summary>The Nexus server in this process, built as its Program.cs builds it, with a client for its API.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        // Triggers are answered within TRIGGER_WAIT_MS (10 s); a longer wait means something is stuck.
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    /// <summary>Starts a server on a free port and its own task hub in <paramref name="storage"/>.</summary>
    public static async Task<InProcessServer> StartAsync(string storage)
    {
        var port = Ports.Free(1)[0];
        var environment = new Dictionary<string, string>
        {
            ["HTTP_PORT"] = $"{port}",
            ["HOST"] = "127.0.0.1",
            ["NEXUS_STORAGE"] = storage,
            ["NEXUS_TASK_HUB"] = "bench" + Guid.NewGuid().ToString("N")[..12],
            // The suspending handler calls a loopback endpoint, which is refused unless listed.
            ["HTTP_ALLOWED_DOMAINS"] = "127.0.0.1",
            ["LOG_LEVEL"] = "warn",
        };
        var options = NexusServerOptionsLoader.Load(new EnvironmentReader(environment.GetValueOrDefault));
        var app = WebApplication.CreateSlimBuilder().AddNexusServer(options).Build().UseNexusServer();
        await app.StartAsync();
        return new InProcessServer(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async Task CreatePanelAsync(string id, string tool, string handler)
    {
        var definition = new { id, kind = "bench", tools = new[] { new { name = tool, handler } } };
        using var response = await Client.PostAsJsonAsync("panels", definition);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /panels answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Runs a tool and returns its result; anything but a successful run that finished in time throws.</summary>
    public async Task<ExecutionResult> TriggerAsync(string panelId, string tool, object args)
    {
        using var response = await Client.PostAsJsonAsync($"panels/{panelId}/trigger/{tool}", args);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Trigger answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        var result = await response.Content.ReadFromJsonAsync<ExecutionResult>(NexusJson.Options)
            ?? throw new InvalidOperationException("Trigger answered an empty body");
        return result.Status == ExecutionStatus.Success
            ? result
            : throw new InvalidOperationException($"Run ended {result.Status}: {result.Error?.Code} {result.Error?.Message}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
