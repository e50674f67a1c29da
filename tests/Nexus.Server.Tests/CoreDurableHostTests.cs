using System.Diagnostics;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Nexus.Server.Durable;
using Nexus.Server.Tests.Tasks;
using Xunit.Abstractions;

namespace Nexus.Server.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class CoreDurableHostTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // Azure Storage queues take visibility delays in whole seconds and DTFx truncates a timer's delay to them, so a
    // durable timer fires up to a second before its due time.
    private const int TimerEarliness = 1_000;

    private readonly string _taskHub = AzuriteFixture.NewTaskHubName();
    private readonly ILoggerFactory _logs =
        LoggerFactory.Create(b => b.AddProvider(new XunitLoggerProvider(output, LogLevel.Warning)));
    private CoreDurableHost _host = null!;

    public async Task InitializeAsync() => _host = await StartHostAsync();

    public async Task DisposeAsync()
    {
        await _host.DeleteTaskHubAsync();
        await _host.DisposeAsync();
        _logs.Dispose();
    }

    [Fact]
    public async Task SignalEntity_ConcurrentCallers_CountsEverySignal()
    {
        var counter = new EntityInstanceId(nameof(CounterEntity), "concurrent");
        const int Callers = 8, SignalsPerCaller = 25;

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < SignalsPerCaller; i++)
            {
                await _host.SignalEntityAsync(counter, nameof(CounterEntity.Add), 1);
            }
        })));
        var sent = clock.ElapsedMilliseconds;
        var count = await PollEntityAsync(counter, c => c >= Callers * SignalsPerCaller);
        output.WriteLine($"{Callers * SignalsPerCaller} signals from {Callers} callers: sent in {sent} ms, " +
            $"all applied {clock.ElapsedMilliseconds} ms after the first");

        // A short wait catches doubled operations that would arrive after the expected total.
        await Task.Delay(200);
        Assert.Equal(Callers * SignalsPerCaller, count);
        Assert.Equal(Callers * SignalsPerCaller, await _host.GetEntityStateAsync<int>(counter));
    }

    [Fact]
    public async Task SignalEntity_Sequential_EachSignalBecomesVisible()
    {
        var counter = new EntityInstanceId(nameof(CounterEntity), "sequential");
        var latencies = new List<double>();
        for (var expected = 1; expected <= 20; expected++)
        {
            var clock = Stopwatch.StartNew();
            await _host.SignalEntityAsync(counter, nameof(CounterEntity.Add), 1);
            var value = expected;
            Assert.Equal(expected, await PollEntityAsync(counter, c => c >= value));
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"signal -> state visible: {Describe(latencies)}");
    }

    [Fact]
    public async Task StartOrchestration_Echo_CompletesWithItsInput()
    {
        var latencies = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            var id = await _host.StartOrchestrationAsync(nameof(EchoOrchestrator), instanceId: null, $"hello {i}");
            var state = await _host.WaitForOrchestrationAsync(id, Patience, CancellationToken.None);
            latencies.Add(clock.Elapsed.TotalMilliseconds);

            Assert.Equal(OrchestrationStatus.Completed, state?.Status);
            Assert.Equal($"hello {i}", state!.ReadOutputAs<string>());
        }

        output.WriteLine($"orchestration start -> completed: {Describe(latencies)}");
    }

    [Fact]
    public async Task RaceOrchestrator_FastActivity_ReturnsActivityResult()
    {
        var clock = Stopwatch.StartNew();
        // The timer is far longer than the test's patience: the result must come from the activity, not the timer.
        var input = new RaceInput(Gate: null, TimeoutMs: 60_000);
        var id = await _host.StartOrchestrationAsync(nameof(RaceOrchestrator), instanceId: null, input);
        var state = await _host.WaitForOrchestrationAsync(id, Patience, CancellationToken.None);

        output.WriteLine($"activity won the race in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(OrchestrationStatus.Completed, state?.Status);
        Assert.Equal("done", state!.ReadOutputAs<string>());
    }

    [Fact]
    public async Task RaceOrchestrator_SlowActivity_ReturnsTimeout()
    {
        var gate = Guid.NewGuid().ToString("N");
        try
        {
            var clock = Stopwatch.StartNew();
            var input = new RaceInput(gate, TimeoutMs: 1_500);
            var id = await _host.StartOrchestrationAsync(nameof(RaceOrchestrator), instanceId: null, input);
            var decided = await PollOrchestrationAsync(id, s => s.ReadCustomStatusAs<string>() is not null);
            output.WriteLine($"1500 ms timer won the race after {clock.ElapsedMilliseconds} ms");

            Assert.Equal("timeout", decided?.ReadCustomStatusAs<string>());
            // DTFx completes an instance only when no task is open, and the losing activity still runs.
            Assert.Equal(OrchestrationStatus.Running, decided!.Status);
            Assert.True(clock.ElapsedMilliseconds >= 1_500 - TimerEarliness, "The timer fired too early.");

            GatedActivity.Open(gate);
            var state = await _host.WaitForOrchestrationAsync(id, Patience, CancellationToken.None);
            Assert.Equal(OrchestrationStatus.Completed, state?.Status);
            Assert.Equal("timeout", state!.ReadOutputAs<string>());
        }
        finally
        {
            GatedActivity.Open(gate);
        }
    }

    [Fact]
    public async Task EntityOperation_SchedulesOrchestration_OrchestrationCompletes()
    {
        var launcher = new EntityInstanceId(nameof(LauncherEntity), "panel-1");
        var instanceId = "launched-" + Guid.NewGuid().ToString("N");

        var clock = Stopwatch.StartNew();
        await _host.SignalEntityAsync(launcher, nameof(LauncherEntity.Launch), instanceId);
        var state = await PollOrchestrationAsync(instanceId);

        output.WriteLine($"signal -> entity-started orchestration completed: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(OrchestrationStatus.Completed, state?.Status);
        Assert.Equal("launched by panel-1", state!.ReadOutputAs<string>());
        Assert.Equal(1, await _host.GetEntityStateAsync<int>(launcher));
    }

    [Fact]
    public async Task DurableTimer_HostStoppedMidTimer_CompletesOnNewHost()
    {
        const int TimerMs = 5_000;
        var clock = Stopwatch.StartNew();
        var id = await _host.StartOrchestrationAsync(nameof(SleepOrchestrator), instanceId: null, TimerMs);
        var running = await PollOrchestrationAsync(id, s => s.Status == OrchestrationStatus.Running);
        Assert.Equal(OrchestrationStatus.Running, running?.Status);

        await _host.DisposeAsync();
        output.WriteLine($"first host stopped {clock.ElapsedMilliseconds} ms after start");
        Assert.True(clock.ElapsedMilliseconds < TimerMs - TimerEarliness, "The first host stopped too late.");

        _host = await StartHostAsync();
        output.WriteLine($"second host started {clock.ElapsedMilliseconds} ms after start");
        var state = await _host.WaitForOrchestrationAsync(id, Patience, CancellationToken.None);

        output.WriteLine($"{TimerMs} ms timer completed on the second host {clock.ElapsedMilliseconds} ms after start");
        Assert.Equal(OrchestrationStatus.Completed, state?.Status);
        Assert.Equal("woke", state!.ReadOutputAs<string>());
        Assert.True(clock.ElapsedMilliseconds >= TimerMs - TimerEarliness, "The timer fired too early.");
    }

    [Fact]
    public async Task StartOrchestration_IdOfRunningInstance_Throws()
    {
        var id = await _host.StartOrchestrationAsync(nameof(SleepOrchestrator), "sleeper", 60_000);
        await PollOrchestrationAsync(id, s => s.Status == OrchestrationStatus.Running);

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(
            () => _host.StartOrchestrationAsync(nameof(SleepOrchestrator), "sleeper", 1));
    }

    [Fact]
    public async Task Reads_UnknownInstanceAndEntity_ReturnNothing()
    {
        var entity = new EntityInstanceId(nameof(CounterEntity), "never-signalled");

        Assert.Null(await _host.GetOrchestrationStateAsync("no-such-instance"));
        Assert.Equal(0, await _host.GetEntityStateAsync<int>(entity));
    }

    private Task<CoreDurableHost> StartHostAsync() => TestHosts.StartAsync(azurite, _taskHub, _logs);

    private async Task<int> PollEntityAsync(EntityInstanceId entity, Func<int, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await _host.GetEntityStateAsync<int>(entity);
            if (done(value) || clock.Elapsed > Patience)
            {
                return value;
            }

            await Task.Delay(1);
        }
    }

    // For instances the test did not start (a wait would give up on one not created yet), or states short of finished.
    private async Task<DurableOrchestrationState?> PollOrchestrationAsync(
        string instanceId, Func<DurableOrchestrationState, bool>? done = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var state = await _host.GetOrchestrationStateAsync(instanceId);
            if (state is not null && (done ?? (s => s.IsFinished))(state) || clock.Elapsed > Patience)
            {
                return state;
            }

            await Task.Delay(2);
        }
    }

    private static string Describe(List<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        return $"p50 {sorted[sorted.Count / 2]:F1} ms, max {sorted[^1]:F1} ms over {sorted.Count}";
    }
}
