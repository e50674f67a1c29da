using Nexus.Kernel.Execution;
using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary>The handler body as an async function: <c>$args</c>, <c>$scope</c>, <c>return</c> and top-level await.</summary>
public sealed class HandlerBodyTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    [Fact]
    public async Task Args_Given_AreExposedAsArgs()
    {
        var result = await fixture.RunAsync(Handlers.Request(
            "return [$args.id, $args.tags.length];", args: """{"id":"a1","tags":["x","y"]}"""));

        Assert.Equal("""["a1",2]""", Expect.Success(result));
    }

    [Fact]
    public async Task Args_NotGiven_IsEmptyObject()
    {
        var result = await fixture.RunAsync("return $args;");

        Assert.Equal("{}", Expect.Success(result));
    }

    [Fact]
    public async Task Scope_Given_IsExposedAsScope()
    {
        var result = await fixture.RunAsync(Handlers.Request("return $scope.user;", scope: """{"user":"u7"}"""));

        Assert.Equal("\"u7\"", Expect.Success(result));
    }

    [Fact]
    public async Task Scope_NotGiven_IsEmptyObject()
    {
        var result = await fixture.RunAsync("return $scope;");

        Assert.Equal("{}", Expect.Success(result));
    }

    [Fact]
    public async Task Return_Value_BecomesReturnValue()
    {
        var result = await fixture.RunAsync("return { ok: true, n: 1.5, s: 'é', list: [null] };");

        Assert.Equal("""{"ok":true,"n":1.5,"s":"é","list":[null]}""", Expect.Success(result));
    }

    [Fact]
    public async Task Return_Nothing_HasNoReturnValue()
    {
        var result = await fixture.RunAsync("const x = 1;");

        Assert.Equal(ExecutionStatus.Success, result.Status);
        Assert.Null(result.ReturnValue);
    }

    [Fact]
    public async Task Return_NonSerialisableValue_FailsWithSerializationError()
    {
        var result = await fixture.RunAsync("return 10n;");

        Expect.Error(result, ErrorCodes.SerializationError);
    }

    [Fact]
    public async Task TopLevelAwait_Promise_ResolvesBeforeReturn()
    {
        var result = await fixture.RunAsync("const x = await Promise.resolve(41); return x + 1;");

        Assert.Equal("42", Expect.Success(result));
    }

    [Fact]
    public async Task TopLevelAwait_AsyncHelpers_RunToCompletion()
    {
        var result = await fixture.RunAsync("""
            const step = async (n) => { await null; await Promise.resolve(); return n * 2; };
            const all = await Promise.all([step(1), step(2)]);
            return all.concat(await step(3));
            """);

        Assert.Equal("[2,4,6]", Expect.Success(result));
    }

    [Fact]
    public async Task TopLevelAwait_RejectedPromiseCaught_HandlerContinues()
    {
        var result = await fixture.RunAsync(
            "try { await Promise.reject(new Error('nope')); } catch (e) { return e.message; }");

        Assert.Equal("\"nope\"", Expect.Success(result));
    }

    [Fact]
    public async Task Run_Success_ReportsMetricsAndJournal()
    {
        var result = await fixture.RunAsync("return $state.a;", """{"a":1}""");

        Expect.Success(result);
        Assert.True(result.Metrics.HostCalls >= 2, $"host calls: {result.Metrics.HostCalls}");
        Assert.True(result.Metrics.MemoryPeakBytes > 0);
        Assert.NotNull(result.Journal);
        Assert.Equal(result.ExecutionId, result.Journal.ExecutionId);
        Assert.Equal(0, result.Journal.Suspensions);
    }
}
