using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Nexus.Server.Tests.Api;

/// <summary>
/// An HTTP endpoint on loopback for handlers to call: <c>/delay/{ms}?v=x</c> answers <c>{v, n}</c> after a delay
/// (n counts calls per v); <c>/hold/{key}</c> answers only once the test releases that key.
/// </summary>
public sealed class SlowEndpoint : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public int Calls(string key) => _calls.GetValueOrDefault(key);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/delay/{ms:int}", async (int ms, string? v) =>
        {
            var n = _calls.AddOrUpdate(v ?? "", 1, (_, c) => c + 1);
            await Task.Delay(ms);
            return Results.Json(new { v, n });
        });
        _app.MapGet("/hold/{key}", async (string key) =>
        {
            var n = _calls.AddOrUpdate(key, 1, (_, c) => c + 1);
            await Hold(key).Task;
            return Results.Json(new { v = key, n });
        });
        await _app.StartAsync();
        BaseUrl = _app.Urls.First();
    }

    /// <summary>Lets every call to <c>/hold/{key}</c> answer, now and later.</summary>
    public void Release(string key) => Hold(key).TrySetResult();

    public void ReleaseAll()
    {
        foreach (var hold in _holds.Values)
        {
            hold.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseAll();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private TaskCompletionSource Hold(string key) =>
        _holds.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
