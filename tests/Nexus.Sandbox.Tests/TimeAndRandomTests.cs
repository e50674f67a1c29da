using Nexus.Kernel.Execution;
using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary><c>$time.now()</c>, <c>Date</c> and <c>Math.random</c>: the host's clock and seed, journaled for replay.</summary>
public sealed class TimeAndRandomTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    [Fact]
    public async Task TimeNow_HostClock_ReturnsHostMilliseconds()
    {
        fixture.Clock.NowMs = ManualClock.Start + 42;

        var result = await fixture.RunAsync("return $time.now();");

        Assert.Equal((ManualClock.Start + 42).ToString(), Expect.Success(result));
    }

    [Fact]
    public async Task Date_NowAndNoArgumentConstructor_UseHostClock()
    {
        fixture.Clock.NowMs = ManualClock.Start + 7;

        var result = await fixture.RunAsync(
            "return [Date.now(), new Date().getTime(), new Date().toISOString(), typeof Date(), new Date() instanceof Date];");

        var t = ManualClock.Start + 7;
        Assert.Equal($"[{t},{t},\"2025-01-01T00:00:00.007Z\",\"string\",true]", Expect.Success(result));
    }

    [Fact]
    public async Task Date_WithArguments_BehavesAsUsual()
    {
        var result = await fixture.RunAsync(
            "return [new Date(0).toISOString(), Date.UTC(2020, 0, 2), Date.parse('2020-01-02T00:00:00Z'), new Date(0).constructor === Date];");

        Assert.Equal("""["1970-01-01T00:00:00.000Z",1577923200000,1577923200000,true]""", Expect.Success(result));
    }

    [Fact]
    public async Task Random_Values_AreInUnitIntervalAndVary()
    {
        var result = await fixture.RunAsync("""
            const xs = Array.from({ length: 100 }, () => Math.random());
            return [xs.every(x => x >= 0 && x < 1), new Set(xs).size];
            """);

        Assert.Equal("[true,100]", Expect.Success(result));
    }

    [Fact]
    public async Task Random_TwoFreshRuns_AreSeededDifferently()
    {
        var first = await fixture.RunAsync("return [Math.random(), Math.random()];");
        var second = await fixture.RunAsync("return [Math.random(), Math.random()];");

        Assert.NotEqual(first.Journal!.Seed, second.Journal!.Seed);
        Assert.NotEqual(Expect.Success(first), Expect.Success(second));
    }

    [Fact]
    public async Task Resume_TimeAndRandom_ReplayTheRecordedValuesAndReadTheClockAfresh()
    {
        const string handler = """
            const before = { t: $time.now(), d: Date.now(), iso: new Date().toISOString(), r: [Math.random(), Math.random()] };
            $state.before = before;
            await $ext.db.query();
            return { before, after: $time.now(), r: Math.random() };
            """;
        fixture.Clock.NowMs = ManualClock.Start + 1000;
        var request = Handlers.Request(handler);
        var suspended = await fixture.RunAsync(request);
        Expect.Suspended(suspended);
        var recorded = Expect.Json(suspended.StateMutations.Single().Value);

        fixture.Clock.NowMs = ManualClock.Start + 60_000;
        var resumed = await fixture.RunAsync(Handlers.Resume(request, suspended, Handlers.Ok("null")));

        var value = Expect.Success(resumed);
        Assert.StartsWith($"{{\"before\":{recorded},\"after\":{ManualClock.Start + 60_000},\"r\":", value, StringComparison.Ordinal);
        Assert.Contains("\"t\":" + (ManualClock.Start + 1000), recorded, StringComparison.Ordinal);
        Assert.Empty(resumed.StateMutations);
    }

    [Fact]
    public async Task Resume_RandomAfterSuspension_ContinuesTheSeededSequence()
    {
        // Five draws in one run equal two draws, a suspension, then three more.
        var straight = await fixture.RunAsync("return Array.from({ length: 5 }, () => Math.random());");
        var seed = straight.Journal!.Seed;
        var request = Handlers.Request("""
            const a = [Math.random(), Math.random()];
            await $ext.db.query();
            return a.concat([Math.random(), Math.random(), Math.random()]);
            """);
        var suspended = await fixture.RunAsync(request with
        {
            Journal = new Journal("seeded", seed, ManualClock.Start, [],
                EffectCounts.None),
        });

        var resumed = await fixture.RunAsync(Handlers.Resume(request, suspended, Handlers.Ok("0")));

        Assert.Equal(Expect.Success(straight), Expect.Success(resumed));
    }
}
