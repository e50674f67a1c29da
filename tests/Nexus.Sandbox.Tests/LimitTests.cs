using Nexus.Kernel.Execution;
using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary>
/// Every limit ends the run with its own code, reports no effects of the run, and leaves the executor working: each
/// test runs a healthy handler on the same executor afterwards.
/// </summary>
public sealed class LimitTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    private static readonly ExecutionLimits s_quick = ExecutionLimits.Default with { TimeoutMs = 150 };

    private async Task<ExecutionError> AssertEndsWith(string handler, string code, ExecutionLimits limits)
    {
        var result = await fixture.RunAsync(Handlers.Request(handler, """{"count":1}""", limits: limits));
        var error = Expect.Error(result, code);

        var next = await fixture.RunAsync(Handlers.Request(
            "$state.count++; $emit('ok'); return [1, 2].map(x => x * 2);", """{"count":1}"""));
        Assert.Equal("[2,4]", Expect.Success(next));
        Assert.Equal(["set:count=2"], Expect.Mutations(next));
        return error;
    }

    [Theory]
    [InlineData("$state.count = 2; while (true) {}")]
    [InlineData("$state.count = 2; for (;;) { await null; }")]
    [InlineData("$state.count = 2; try { while (true) {} } catch { } finally { return 'escaped'; }")]
    [InlineData("$state.count = 2; return /(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!');")]
    public async Task Run_PastTimeout_EndsWithTimeout(string handler)
    {
        var error = await AssertEndsWith(handler, ErrorCodes.Timeout, s_quick);

        Assert.Equal("Handler exceeded 150ms time limit", error.Message);
    }

    [Fact]
    public async Task Run_PastTimeoutWhileThreadPoolIsBusy_StillEndsWithTimeout()
    {
        // Runs execute synchronously on their callers' threads; the wall clock must keep moving when every
        // thread-pool thread is busy running a handler.
        var runs = Enumerable.Range(0, 2 * Environment.ProcessorCount + 2)
            .Select(_ => Task.Run(() => fixture.RunAsync(Handlers.Request("while (true) {}", limits: s_quick))))
            .ToArray();

        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Expect.Error(r, ErrorCodes.Timeout));
    }

    [Fact]
    public async Task Run_MemoryBomb_EndsWithMemoryLimit()
    {
        var error = await AssertEndsWith(
            "$state.count = 2; const a = []; for (;;) a.push({ i: a.length, s: 'item ' + a.length });",
            ErrorCodes.MemoryLimit, ExecutionLimits.Default with { MemoryBytes = 8L * 1024 * 1024 });

        Assert.Contains("8 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_HundredMegabyteString_EndsWithMemoryLimit()
    {
        await AssertEndsWith("$state.count = 2; return 'x'.repeat(100 * 1024 * 1024).length;",
            ErrorCodes.MemoryLimit, ExecutionLimits.Default);
    }

    [Fact]
    public async Task Run_DeepRecursion_EndsWithResourceLimit()
    {
        var error = await AssertEndsWith("$state.count = 2; function f(n) { return f(n + 1) + 1; } return f(0);",
            ErrorCodes.ResourceLimit, ExecutionLimits.Default);

        Assert.Contains("stack depth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TooManyHostCalls_EndsWithResourceLimitEvenIfCaught()
    {
        var error = await AssertEndsWith(
            "try { for (let i = 0; i < 100; i++) $state.get('count'); } catch { } return 'swallowed';",
            ErrorCodes.ResourceLimit, ExecutionLimits.Default with { MaxHostCalls = 20 });

        Assert.Equal("Resource limit exceeded: host calls (used: 21, limit: 20)", error.Message);
    }

    [Fact]
    public async Task Run_TooManyMutations_EndsWithResourceLimit()
    {
        var error = await AssertEndsWith("for (let i = 0; i < 11; i++) $state['k' + i] = i;",
            ErrorCodes.ResourceLimit, ExecutionLimits.Default with { MaxMutations = 10 });

        Assert.Equal("Resource limit exceeded: state mutations (used: 11, limit: 10)", error.Message);
    }

    [Fact]
    public async Task Run_TooManyEvents_EndsWithResourceLimit()
    {
        var error = await AssertEndsWith("try { for (let i = 0; i < 6; i++) $emit('e', i); } catch { }",
            ErrorCodes.ResourceLimit, ExecutionLimits.Default with { MaxEvents = 5 });

        Assert.Equal("Resource limit exceeded: events (used: 6, limit: 5)", error.Message);
    }

    [Fact]
    public async Task Run_TooManyViewCommands_EndsWithResourceLimit()
    {
        var error = await AssertEndsWith("for (let i = 0; i < 4; i++) $view.focus('v');",
            ErrorCodes.ResourceLimit, ExecutionLimits.Default with { MaxViewCommands = 3 });

        Assert.Contains("view commands", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_HandlerSourceTooLarge_IsRejectedWithResourceLimit()
    {
        var handler = "return 1;\n// " + new string('x', 200);

        var error = await AssertEndsWith(handler, ErrorCodes.ResourceLimit,
            ExecutionLimits.Default with { MaxHandlerBytes = 100 });

        Assert.Contains("handler source size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ReturnValueTooLarge_EndsWithResourceLimit()
    {
        var error = await AssertEndsWith("$state.count = 2; return 'x'.repeat(2000);",
            ErrorCodes.ResourceLimit, ExecutionLimits.Default with { MaxResultBytes = 1000 });

        Assert.Contains("result size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EffectsTooLarge_EndsWithResourceLimit()
    {
        await AssertEndsWith("for (let i = 0; i < 20; i++) $state['k' + i] = 'x'.repeat(100);",
            ErrorCodes.ResourceLimit, ExecutionLimits.Default with { MaxResultBytes = 1000 });
    }

    [Fact]
    public async Task Run_ValueTooLarge_EndsWithResourceLimit()
    {
        var error = await AssertEndsWith("$state.big = 'x'.repeat(5000);",
            ErrorCodes.ResourceLimit, ExecutionLimits.Default with { MaxValueBytes = 1000 });

        Assert.Contains("value size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OutOfFuel_EndsWithResourceLimit()
    {
        var limits = ExecutionLimits.Default with { Fuel = 200_000_000, TimeoutMs = 60_000 };
        var small = await fixture.RunAsync(Handlers.Request("return [1, 2, 3].map(x => x + 1);", limits: limits));
        Assert.Equal("[2,3,4]", Expect.Success(small));

        var error = await AssertEndsWith("$state.count = 2; let i = 0; while (true) { i++; }", ErrorCodes.ResourceLimit, limits);

        Assert.Contains("cpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SyntaxError_EndsWithCompilationErrorAtLineAndColumn()
    {
        var error = await AssertEndsWith("$state.count = 2;\nlet x = ;\nreturn x;",
            ErrorCodes.CompilationError, ExecutionLimits.Default);

        Assert.Contains("SyntaxError", error.Message, StringComparison.Ordinal);
        Assert.Equal(new ErrorLocation(2, 9, "let x = ;"), error.Location);
    }

    [Fact]
    public async Task Run_ThrownError_EndsWithExecutionErrorAtLineColumnAndSourceLine()
    {
        var error = await AssertEndsWith("$state.count = 2;\nconst x = 1;\n  throw new Error('boom ' + x);",
            ErrorCodes.ExecutionError, ExecutionLimits.Default);

        Assert.Equal("Error: boom 1", error.Message);
        Assert.NotNull(error.Location);
        Assert.Equal(3, error.Location.Line);
        Assert.InRange(error.Location.Column, 3, "  throw new Error('boom ' + x);".Length);
        Assert.Equal("throw new Error('boom ' + x);", error.Location.SourceSnippet);
    }

    [Fact]
    public async Task Run_ThrownErrorOnFirstLine_ColumnIsWithinTheHandlersLine()
    {
        const string line = "$state.count = 2; null.boom();";

        var error = await AssertEndsWith(line, ErrorCodes.ExecutionError, ExecutionLimits.Default);

        Assert.StartsWith("TypeError", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Location?.Line);
        Assert.InRange(error.Location!.Column, 19, line.Length);
        Assert.Equal(line, error.Location.SourceSnippet);
    }

    [Fact]
    public async Task Run_ThrownNonError_EndsWithExecutionError()
    {
        var error = await AssertEndsWith("$state.count = 2; throw 'plain string';",
            ErrorCodes.ExecutionError, ExecutionLimits.Default);

        Assert.Contains("plain string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PromiseThatNeverSettles_EndsWithExecutionError()
    {
        var error = await AssertEndsWith("$state.count = 2; await new Promise(() => {});",
            ErrorCodes.ExecutionError, ExecutionLimits.Default);

        Assert.Contains("never settle", error.Message, StringComparison.Ordinal);
    }
}
