using Nexus.Kernel.Execution;
using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary>A failed run is all-or-nothing: it reports no mutations, events or view commands of its own.</summary>
public sealed class FailedRunTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    private const string Effects = "$state.a = 1; $state.set('b', 2); delete $state.c; $emit('e', 1); $view.focus('v');\n";

    [Theory]
    [InlineData("throw new Error('late');", ErrorCodes.ExecutionError, null)]
    [InlineData("await Promise.reject(new Error('late'));", ErrorCodes.ExecutionError, null)]
    [InlineData("while (true) {}", ErrorCodes.Timeout, null)]
    [InlineData("$emit('e2'); $emit('e3');", ErrorCodes.ResourceLimit, "events")]
    [InlineData("await new Promise(() => {});", ErrorCodes.ExecutionError, null)]
    [InlineData("const a = []; for (;;) a.push([a.length]);", ErrorCodes.MemoryLimit, null)]
    public async Task Run_FailsAfterEffects_ReportsNoneOfThem(string failure, string code, string? limit)
    {
        var limits = ExecutionLimits.Default with
        {
            TimeoutMs = code == ErrorCodes.Timeout ? 150 : 5000,
            MemoryBytes = 8L * 1024 * 1024,
            MaxEvents = limit == "events" ? 2 : 100,
        };

        var result = await fixture.RunAsync(Handlers.Request(Effects + failure, """{"c":0}""", limits: limits));

        Expect.Error(result, code);
        Assert.Equal(EffectCounts.None, result.EffectOffsets);
    }

    [Fact]
    public async Task Run_DeniedAfterEffects_ReportsNoneOfThem()
    {
        var result = await fixture.RunAsync(Handlers.Request(
            "$state.a = 1; $emit('e'); $state.secret = 2;", capabilities: ["state:write:a", "events:emit:e"]));

        Expect.Error(result, ErrorCodes.PermissionDenied);
    }

    [Fact]
    public async Task ResumedRun_FailsAfterNewEffects_ReportsNoneOfItsOwn()
    {
        var request = Handlers.Request("""
            $state.a = 1; $emit('first'); $view.focus('v');
            const r = await $ext.db.query();
            $state.b = r; $emit('second'); $view.focus('w');
            throw new Error('after resume');
            """);
        var suspended = await fixture.RunAsync(request);
        Expect.Suspended(suspended);
        Assert.Equal(["set:a=1"], Expect.Mutations(suspended));

        var resumed = await fixture.RunAsync(Handlers.Resume(request, suspended, Handlers.Ok("2"), """{"a":1}"""));

        var error = Expect.Error(resumed, ErrorCodes.ExecutionError);
        Assert.Equal("Error: after resume", error.Message);
        Assert.Equal(new EffectCounts(1, 1, 1, 0), resumed.EffectOffsets);
        Assert.Equal(new EffectCounts(1, 1, 1, 0), resumed.Journal!.Reported);
    }

    [Fact]
    public async Task ResumedRun_FailsAfterSecondSuspension_ReportsOnlyWhatEarlierSuspensionsDid()
    {
        var request = Handlers.Request("""
            $state.step = 1;
            await $ext.db.query(1);
            $state.step = 2;
            await $ext.db.query(2);
            $state.step = 3; $emit('never');
            await $ext.nope.call();
            """);
        var first = await fixture.RunAsync(request);
        var second = await fixture.RunAsync(Handlers.Resume(request, first, Handlers.Ok("1"), """{"step":1}"""));
        Assert.Equal(["set:step=2"], Expect.Mutations(second));
        Assert.Equal(new EffectCounts(1, 0, 0, 0), second.EffectOffsets);

        var third = await fixture.RunAsync(Handlers.Resume(request, second, Handlers.Ok("2"), """{"step":2}"""));

        Expect.Error(third, ErrorCodes.ExtensionNotFound);
        Assert.Equal(new EffectCounts(2, 0, 0, 0), third.EffectOffsets);
    }

    [Fact]
    public async Task ResumedRun_TimesOutAfterNewEffects_ReportsNoneOfItsOwn()
    {
        var request = Handlers.Request("$state.a = 1; await $ext.db.query(); $state.b = 2; while (true) {}");
        var suspended = await fixture.RunAsync(request);

        var resumed = await fixture.RunAsync(Handlers.Resume(request, suspended, Handlers.Ok("0")) with
        {
            Limits = ExecutionLimits.Default with { TimeoutMs = 150 },
        });

        Expect.Error(resumed, ErrorCodes.Timeout);
        Assert.Equal(1, resumed.EffectOffsets.Mutations);
    }
}
