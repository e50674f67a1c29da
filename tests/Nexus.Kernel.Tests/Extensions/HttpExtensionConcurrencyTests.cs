using System.Text.Json;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;

namespace Nexus.Kernel.Tests.Extensions;

public sealed class HttpExtensionConcurrencyTests
{
    [Fact]
    public async Task CallAsync_MaxConcurrentTwo_AtMostTwoInFlightAtServer()
    {
        var release = new TaskCompletionSource();
        var inFlight = 0;
        var maxInFlight = 0;
        await using var server = new TestHttpServer(async x =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            await release.Task.WaitAsync(x.Stopping);
            Interlocked.Decrement(ref inFlight);
            await x.RespondAsync("200 OK");
        });
        using var http = new HttpExtension(HttpTesting.Local with { MaxConcurrent = 2 });

        var calls = Enumerable.Range(0, 6).Select(_ => http.CallAsync("get", $$"""["{{server.Url()}}"]""")).ToList();
        await WaitUntilAsync(() => server.Requests.Count >= 2);
        // Time for a broken limit to let more through before the count is taken.
        await Task.Delay(200);
        Assert.Equal(2, server.Requests.Count);
        release.SetResult();
        var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(results, r => Assert.Equal(200, r.GetProperty("status").GetInt32()));
        Assert.Equal(6, server.Requests.Count);
        Assert.Equal(2, maxInFlight);
    }

    [Fact]
    public async Task CallAsync_QueueFull_FailsFastAndQueuedCallsStillRun()
    {
        var release = new TaskCompletionSource();
        await using var server = new TestHttpServer(async x =>
        {
            await release.Task.WaitAsync(x.Stopping);
            await x.RespondAsync("200 OK");
        });
        using var http = new HttpExtension(HttpTesting.Local with { MaxConcurrent = 1, MaxQueued = 1 });
        var url = $$"""["{{server.Url()}}"]""";

        var running = http.CallAsync("get", url);
        var queued = http.CallAsync("get", url);
        var error = await http.FailAsync("get", url);

        Assert.Equal(ErrorCodes.ExtensionError, error.Code);
        Assert.Equal("Too many HTTP requests: 1 in flight and 1 waiting; try again later", error.Message);
        release.SetResult();
        JsonElement[] results = await Task.WhenAll(running, queued).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(results, r => Assert.Equal(200, r.GetProperty("status").GetInt32()));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task CallAsync_QueuedCallTimesOut_FreesItsPlaceInQueue()
    {
        var release = new TaskCompletionSource();
        await using var server = new TestHttpServer(async x =>
        {
            await release.Task.WaitAsync(x.Stopping);
            await x.RespondAsync("200 OK");
        });
        using var http = new HttpExtension(HttpTesting.Local with { MaxConcurrent = 1, MaxQueued = 1 });

        var running = http.CallAsync("get", $$"""["{{server.Url()}}"]""");
        var timedOut = await http.FailAsync("get", $$"""["{{server.Url()}}", {"timeout": 100}]""");
        var queued = http.CallAsync("get", $$"""["{{server.Url()}}"]""");
        release.SetResult();

        Assert.Equal(ErrorCodes.ExtensionTimeout, timedOut.Code);
        await Task.WhenAll(running, queued).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, server.Requests.Count);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value
            && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met within 10 seconds");
            await Task.Delay(10);
        }
    }
}
