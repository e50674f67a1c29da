using System.Diagnostics;
using Nexus.Kernel.Execution;
using Nexus.Sandbox;
using Nexus.Sandbox.Engine;
using Nexus.Sandbox.Runtime;

namespace Nexus.Benchmarks;

/// <summary>Percentiles, throughput and memory from plain timing loops: the numbers quoted in issue notes.</summary>
internal static class QuickReport
{
    public static async Task RunAsync()
    {
        using var executor = new HandlerExecutor();
        var scenarios = new (string Name, ExecutionRequest Request)[]
        {
            ("trivial run", Requests.Create(Handlers.Trivial)),
            ("20 state operations", Requests.Create(Handlers.TwentyStateOps)),
            ("resume replaying 5 suspensions", Requests.ResumeAfterSuspensions(executor, Handlers.FiveSuspensions, 5)),
        };
        Console.WriteLine($"{"scenario",-32} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"runs/s c=1",11} {"runs/s c=2",11} {"ratio",6} {"heap peak KiB",14}");
        double? baseline = null;
        foreach (var (name, request) in scenarios)
        {
            var latencies = new List<double>();
            ExecutionResult last = null!;
            for (var i = 0; i < 3000; i++)
            {
                var watch = Stopwatch.StartNew();
                last = await executor.ExecuteAsync(request);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                Requests.EnsureNotFailed(last);
            }
            latencies = latencies.Skip(500).Order().ToList();
            var t1 = await Throughput(executor, request, 1);
            var t2 = await Throughput(executor, request, 2);
            baseline ??= t1;
            Console.WriteLine($"{name,-32} {P(latencies, 0.5),8:F3} {P(latencies, 0.9),8:F3} {P(latencies, 0.99),8:F3} {t1,11:F0} {t2,11:F0} {baseline / t1,6:F2} {last.Metrics.MemoryPeakBytes / 1024.0,14:F0}");
        }
        PhaseProfile.Run(executor.Engine);
        ReportEngineLoad();
        ReportInstanceMemory(executor.Engine);
    }

    private static async Task<double> Throughput(HandlerExecutor executor, ExecutionRequest request, int concurrency)
    {
        var watch = Stopwatch.StartNew();
        var count = 0;
        await Parallel.ForAsync(0, concurrency, async (_, ct) =>
        {
            while (watch.Elapsed < TimeSpan.FromSeconds(2))
            {
                Requests.EnsureNotFailed(await executor.ExecuteAsync(request, ct));
                Interlocked.Increment(ref count);
            }
        });
        return count / watch.Elapsed.TotalSeconds;
    }

    private static void ReportEngineLoad()
    {
        var times = new List<double>();
        var ready = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var watch = Stopwatch.StartNew();
            using var engine = new QuickJsEngine(new SandboxOptions());
            ready.Add(watch.Elapsed.TotalMilliseconds);
            if (!engine.LoadInfo.FromDiskCache)
            {
                Console.WriteLine($"engine compiled (no disk cache yet): {engine.LoadInfo.LoadTime.TotalMilliseconds:F1} ms");
                continue;
            }
            times.Add(engine.LoadInfo.LoadTime.TotalMilliseconds);
        }
        times.Sort();
        ready.Sort();
        Console.WriteLine($"engine load from disk cache: median {P(times, 0.5):F2} ms, max {times[^1]:F2} ms ({times.Count} loads); " +
                          $"ready to run (load + boot snapshot): median {P(ready, 0.5):F2} ms");
    }

    private static void ReportInstanceMemory(QuickJsEngine engine)
    {
        var request = Requests.Create(Handlers.TwentyStateOps);
        var run = new RunContext(request, Nexus.Kernel.Capabilities.CapabilitySet.All, TimeProvider.System);
        using var instance = new SandboxInstance(engine, run, request.Limits, engine.Snapshot);
        Console.WriteLine($"per concurrent run: linear memory {run.Memory!.GetLength() / 1048576.0:F2} MiB at start, {engine.Snapshot.CopiedBytes / 1024.0:F0} KiB copied from the snapshot, JS heap {instance.HeapUsed() / 1024.0:F0} KiB");
    }

    private static double P(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
}
