using Nexus.Kernel.Execution;
using Nexus.Sandbox.Tests.Support;

namespace Nexus.Sandbox.Tests;

/// <summary><c>$log(...)</c>, <c>$log.debug/info/warn/error</c> and <c>console</c>, returned in <c>logs</c>.</summary>
public sealed class LogApiTests(ExecutorFixture fixture) : IClassFixture<ExecutorFixture>
{
    [Fact]
    public async Task Log_Callable_RecordsInfoLineOfFormattedArguments()
    {
        fixture.Clock.NowMs = ManualClock.Start + 5;

        var result = await fixture.RunAsync("$log('count', 1, true, null, undefined, { a: [1] }, [2, 'x']);");

        Expect.Success(result);
        var line = Assert.Single(result.Logs);
        Assert.Equal("info", line.Level);
        Assert.Equal("count 1 true null undefined {\"a\":[1]} [2,\"x\"]", line.Message);
        Assert.Equal(ManualClock.Start + 5, line.Timestamp);
    }

    [Fact]
    public async Task Log_Levels_RecordedWithTheirLevel()
    {
        var result = await fixture.RunAsync("$log.debug('d'); $log.info('i'); $log.warn('w'); $log.error('e');");

        Expect.Success(result);
        Assert.Equal(["debug:d", "info:i", "warn:w", "error:e"], result.Logs.Select(l => $"{l.Level}:{l.Message}"));
    }

    [Fact]
    public async Task Console_Methods_AreAliasesOfLog()
    {
        var result = await fixture.RunAsync("console.log('a'); console.warn('b'); console.error('c');");

        Expect.Success(result);
        Assert.Equal(["info:a", "warn:b", "error:c"], result.Logs.Select(l => $"{l.Level}:{l.Message}"));
    }

    [Fact]
    public async Task Log_Error_IncludesNameAndMessage()
    {
        var result = await fixture.RunAsync("$log.error(new TypeError('bad input'));");

        Expect.Success(result);
        Assert.StartsWith("TypeError: bad input", Assert.Single(result.Logs).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_VeryLongLine_IsTruncated()
    {
        var result = await fixture.RunAsync("$log('x'.repeat(10000));");

        Expect.Success(result);
        var message = Assert.Single(result.Logs).Message;
        Assert.StartsWith(new string('x', 8192) + "...", message, StringComparison.Ordinal);
        Assert.Contains("1808 more characters", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_OverMaxLogs_DropsFurtherLinesWithOneWarning()
    {
        var result = await fixture.RunAsync(Handlers.Request(
            "for (let i = 0; i < 10; i++) $log(`line ${i}`); return 'done';",
            limits: ExecutionLimits.Default with { MaxLogs = 3 }));

        Assert.Equal("\"done\"", Expect.Success(result));
        Assert.Equal(4, result.Logs.Count);
        Assert.Equal("line 2", result.Logs[2].Message);
        Assert.Equal("warn", result.Logs[3].Level);
        Assert.Contains("Log limit of 3", result.Logs[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_FailedRun_LinesAreStillReturned()
    {
        var result = await fixture.RunAsync("$log('before'); throw new Error('x');");

        Expect.Error(result, ErrorCodes.ExecutionError);
        Assert.Equal("before", Assert.Single(result.Logs).Message);
    }
}
