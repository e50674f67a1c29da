using System.Diagnostics;
using Nexus.Kernel.Capabilities;
using Nexus.Sandbox;
using Nexus.Sandbox.Engine;
using Nexus.Sandbox.Runtime;

namespace Nexus.Benchmarks;

/// <summary>Where a run's time goes: store and instance, runtime start, prelude, handler.</summary>
internal static class PhaseProfile
{
    public static void Run(QuickJsEngine engine)
    {
        var request = Requests.Create(Handlers.Trivial);
        var phases = new double[4];
        const int N = 2000;
        for (var i = 0; i < N + 200; i++)
        {
            var run = new RunContext(request, CapabilitySet.All, TimeProvider.System);
            var w = Stopwatch.StartNew();
            using var instance = new SandboxInstance(engine, run, request.Limits, engine.Snapshot);
            var t0 = w.Elapsed.TotalMilliseconds;
            var t1 = w.Elapsed.TotalMilliseconds;
            instance.Eval("__nexus_start(async function () {return 1;\n});"u8, "handler");
            var t2 = w.Elapsed.TotalMilliseconds;
            instance.Eval("__nexus_outcome()"u8, "outcome");
            var t3 = w.Elapsed.TotalMilliseconds;
            if (i >= 200)
            {
                phases[0] += t0; phases[1] += t1 - t0; phases[2] += t2 - t1; phases[3] += t3 - t2;
            }
        }
        Console.WriteLine($"instance from snapshot {phases[0] / N:F3} ms, handler {phases[2] / N:F3} ms, outcome {phases[3] / N:F3} ms");
    }
}
