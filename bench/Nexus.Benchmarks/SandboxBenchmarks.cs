using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Nexus.Kernel.Capabilities;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;
using Nexus.Kernel.Json;
using Nexus.Sandbox;

namespace Nexus.Benchmarks;

/// <summary>Warm runs of handlers in the sandbox, one at a time and with parallel callers.</summary>
[MemoryDiagnoser]
public class SandboxBenchmarks
{
    private const int Batch = 64;
    private HandlerExecutor _executor = null!;
    private ExecutionRequest _trivial = null!;
    private ExecutionRequest _stateOps = null!;
    private ExecutionRequest _resume = null!;

    [Params(1, 2)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _executor = new HandlerExecutor();
        _trivial = Requests.Create(Handlers.Trivial);
        _stateOps = Requests.Create(Handlers.TwentyStateOps);
        _resume = Requests.ResumeAfterSuspensions(_executor, Handlers.FiveSuspensions, 5);
    }

    [GlobalCleanup]
    public void Cleanup() => _executor.Dispose();

    [Benchmark(OperationsPerInvoke = Batch, Baseline = true)]
    public Task TrivialRun() => RunBatch(_trivial);

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task TwentyStateOperations() => RunBatch(_stateOps);

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task ResumeReplayingFiveSuspensions() => RunBatch(_resume);

    private Task RunBatch(ExecutionRequest request) =>
        Parallel.ForAsync(0, Batch, new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (_, ct) => Requests.EnsureNotFailed(await _executor.ExecuteAsync(request, ct)));
}

/// <summary>Builds benchmark requests.</summary>
internal static class Requests
{
    public static ExecutionRequest Create(string handler) => new()
    {
        PanelId = "bench",
        ToolName = "tool",
        Handler = handler,
        State = new Dictionary<string, JsonElement> { ["count"] = NexusJson.Parse("0") },
        Capabilities = CapabilitySet.All,
        Extensions = ExtensionCatalog.HttpOnly,
    };

    /// <summary>A request that replays <paramref name="suspensions"/> recorded extension calls and completes.</summary>
    public static ExecutionRequest ResumeAfterSuspensions(HandlerExecutor executor, string handler, int suspensions)
    {
        var request = Create(handler);
        for (var i = 0; i < suspensions; i++)
        {
            var result = executor.ExecuteAsync(request).GetAwaiter().GetResult();
            if (result.Status != ExecutionStatus.Suspended)
            {
                throw new InvalidOperationException($"Expected suspension {i + 1}, got {result.Status}: {result.Error?.Message}");
            }
            request = request with { Journal = result.Journal!.WithOutcome(ExtensionOutcome.Ok(NexusJson.Parse("{\"n\":1}"))) };
        }
        return request;
    }

    public static void EnsureNotFailed(ExecutionResult result)
    {
        if (result.Status == ExecutionStatus.Error)
        {
            throw new InvalidOperationException($"Benchmark run failed: {result.Error?.Code} {result.Error?.Message}");
        }
    }
}
