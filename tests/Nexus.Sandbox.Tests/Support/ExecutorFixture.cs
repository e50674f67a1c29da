using Nexus.Kernel.Execution;

namespace Nexus.Sandbox.Tests.Support;

/// <summary>
/// One <see cref="HandlerExecutor"/> per test class (starting the engine costs about half a second), on a clock the
/// tests set, so timestamps and <c>$time.now()</c> are known values.
/// </summary>
public sealed class ExecutorFixture : IDisposable
{
    public ExecutorFixture()
    {
        Executor = new HandlerExecutor(time: Clock);
    }

    public ManualClock Clock { get; } = new();

    public HandlerExecutor Executor { get; }

    public Task<ExecutionResult> RunAsync(ExecutionRequest request) => Executor.ExecuteAsync(request);

    /// <summary>Runs a handler with every capability and the test extensions.</summary>
    public Task<ExecutionResult> RunAsync(string handler, string state = "{}") =>
        Executor.ExecuteAsync(Handlers.Request(handler, state));

    public void Dispose() => Executor.Dispose();
}

/// <summary>A clock that only moves when a test moves it.</summary>
public sealed class ManualClock : TimeProvider
{
    /// <summary>2025-01-01T00:00:00Z.</summary>
    public const long Start = 1_735_689_600_000;

    public long NowMs { get; set; } = Start;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
}
