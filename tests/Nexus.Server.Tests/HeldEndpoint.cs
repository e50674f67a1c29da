using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Nexus.Server.Tests;

/// <summary>A JSON endpoint on loopback that holds every request until the test releases it, then answers them all.</summary>
/// <remarks>
/// Activities run at least once: a server killed mid-call leaves a request behind, and the next server calls again.
/// Every call, before or after <see cref="Release"/>, gets the same answer once released.
/// </remarks>
public sealed class HeldEndpoint : IAsyncDisposable
{
    /// <summary>The body every call is answered with.</summary>
    public const string Answer = """{"answer":42}""";

    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WebApplication _app;
    private int _calls;

    private HeldEndpoint()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/held", HandleAsync);
    }

    /// <summary>The URL to call.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>How many requests arrived so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public static async Task<HeldEndpoint> StartAsync()
    {
        var endpoint = new HeldEndpoint();
        await endpoint._app.StartAsync();
        endpoint.Url = new Uri(new Uri(endpoint._app.Urls.Single()), "/held");
        return endpoint;
    }

    /// <summary>Completes when the first request arrives, or throws after <paramref name="timeout"/>.</summary>
    public Task WaitForFirstCallAsync(TimeSpan timeout) => _called.Task.WaitAsync(timeout);

    /// <summary>Answers the held requests and, from now on, every new one at once.</summary>
    public void Release() => _released.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _calls);
        _called.TrySetResult();
        // A caller that dies while held (the killed server) aborts the request; nothing is left waiting.
        await _released.Task.WaitAsync(context.RequestAborted);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Answer, context.RequestAborted);
    }
}
