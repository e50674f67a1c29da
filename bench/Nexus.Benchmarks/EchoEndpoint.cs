using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Nexus.Benchmarks;

/// <summary>A loopback JSON endpoint that answers at once: the extension call of the suspending handler.</summary>
internal sealed class EchoEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoEndpoint(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public static async Task<EchoEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/echo", () => Results.Text("""{"ok":true}""", "application/json"));
        await app.StartAsync();
        return new EchoEndpoint(app) { Url = new Uri(new Uri(app.Urls.Single()), "/echo") };
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
