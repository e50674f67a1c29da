using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Nexus.Kernel.Extensions;
using Nexus.Kernel.Json;
using Nexus.Server.Configuration;
using Nexus.Server.Hosting;

namespace Nexus.Server.Tests.Api;

/// <summary>
/// A real Nexus server, in this process on a free loopback port, over its own Azurite and task hub, plus a slow HTTP
/// endpoint on loopback for handlers to call through the http extension.
/// </summary>
public class NexusServerFixture : IAsyncLifetime
{
    /// <summary>Suspension timeout of this server: short, so the timeout path is quick to show.</summary>
    public const int SuspensionTimeoutMs = 6000;

    private readonly InMemoryAzuriteFixture _azurite = new();
    private WebApplication? _server;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The server's base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url => Client.BaseAddress!.ToString().TrimEnd('/');
    public SlowEndpoint Endpoint { get; } = new();
    public NexusServerOptions Options { get; private set; } = null!;

    /// <summary>Changes this server's environment before it starts.</summary>
    protected virtual void Configure(Dictionary<string, string> environment)
    {
    }

    private Dictionary<string, string> Environment(int port, string storage)
    {
        var environment = Defaults(port, storage);
        Configure(environment);
        return environment;
    }

    private static Dictionary<string, string> Defaults(int port, string storage) => new()
    {
        ["HTTP_PORT"] = port.ToString(),
        ["HOST"] = "127.0.0.1",
        ["NEXUS_STORAGE"] = storage,
        ["NEXUS_TASK_HUB"] = AzuriteFixture.NewTaskHubName(),
        ["HTTP_ALLOWED_DOMAINS"] = "127.0.0.1",
        ["SUSPENSION_TIMEOUT_MS"] = SuspensionTimeoutMs.ToString(),
        ["HTTP_TIMEOUT"] = "5500",
        ["BODY_LIMIT"] = "512kb",
        ["MAX_PANELS"] = "500",
        ["LOG_LEVEL"] = "warn",
    };

    async Task IAsyncLifetime.InitializeAsync()
    {
        await ((IAsyncLifetime)_azurite).InitializeAsync();
        await Endpoint.StartAsync();
        var port = FreePort();
        var env = Environment(port, _azurite.ConnectionString);
        Options = NexusServerOptionsLoader.Load(new EnvironmentReader(name => env.GetValueOrDefault(name)));
        var builder = WebApplication.CreateSlimBuilder().AddNexusServer(Options);
        builder.Services.AddSingleton<IExtension, EchoExtension>();
        _server = builder.Build().UseNexusServer();
        await _server.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Client.Dispose();
        Endpoint.ReleaseAll();
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
        await Endpoint.DisposeAsync();
        await ((IAsyncLifetime)_azurite).DisposeAsync();
    }

    /// <summary>Stops this server's storage, as an outage would.</summary>
    public Task StopStorageAsync() => _azurite.KillAsync();

    /// <summary>Creates a panel with one tool per (name, handler) pair; returns its id.</summary>
    public async Task<string> CreatePanelAsync(object? initialState = null, params (string Name, string Handler)[] tools)
    {
        var id = "p" + Guid.NewGuid().ToString("N")[..12];
        var response = await Client.PostAsJsonAsync("/panels", new
        {
            id,
            kind = "test",
            initialState = initialState ?? new { },
            tools = tools.Select(t => new { name = t.Name, handler = t.Handler, trigger = new { type = "manual" } }),
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> TriggerAsync(string panelId, string tool, object? args = null)
    {
        var response = await Client.PostAsJsonAsync($"/panels/{panelId}/trigger/{tool}", args ?? new { });
        return (response.StatusCode, await ReadAsync(response));
    }

    public async Task<JsonElement> StateAsync(string panelId)
    {
        var response = await Client.GetAsync($"/panels/{panelId}/state");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadAsync(response);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? NexusJson.Null : NexusJson.Parse(text);
    }

    /// <summary>A loopback port nothing listens on (for now).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A custom extension, registered the way an operator would: <c>echo.say(...args)</c> returns its arguments.</summary>
public sealed class EchoExtension : IExtension
{
    public string Name => "echo";
    public IReadOnlyCollection<string> Methods { get; } = ["say"];

    public Task<JsonElement> CallAsync(string method, JsonElement args, CancellationToken cancellationToken) =>
        Task.FromResult(args);
}

[CollectionDefinition(Name)]
public sealed class NexusServerCollection : ICollectionFixture<NexusServerFixture>
{
    public const string Name = "Nexus server";
}
