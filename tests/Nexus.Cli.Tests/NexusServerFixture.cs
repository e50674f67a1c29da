using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Nexus.Server.Configuration;
using Nexus.Server.Hosting;
using Nexus.Server.Tests;

namespace Nexus.Cli.Tests;

/// <summary>A real Nexus server on a free loopback port, on its own Azurite, shared by the tests of a class.</summary>
public sealed class NexusServerFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new InMemoryAzuriteFixture();
    private WebApplication? _app;

    /// <summary>The server's base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    async Task IAsyncLifetime.InitializeAsync()
    {
        await ((IAsyncLifetime)_azurite).InitializeAsync();
        var port = FreePort();
        var settings = new Dictionary<string, string>
        {
            ["HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["HOST"] = "127.0.0.1",
            ["NEXUS_STORAGE"] = _azurite.ConnectionString,
            ["NEXUS_TASK_HUB"] = AzuriteFixture.NewTaskHubName(),
            // Answer 202 as soon as a run suspends, so that trigger --wait always has a run to follow.
            ["TRIGGER_WAIT_MS"] = "0",
            // The suspending tool calls this server's own /health; a loopback address must be listed to be reached.
            ["HTTP_ALLOWED_DOMAINS"] = "127.0.0.1",
            ["LOG_LEVEL"] = "warn",
        };
        var options = NexusServerOptionsLoader.Load(new EnvironmentReader(name => settings.GetValueOrDefault(name)));
        _app = WebApplication.CreateSlimBuilder().AddNexusServer(options).Build().UseNexusServer();
        await _app.StartAsync();
        Url = $"http://127.0.0.1:{port}";
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await ((IAsyncLifetime)_azurite).DisposeAsync();
    }

    /// <summary>A loopback port nothing listens on (for now).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
