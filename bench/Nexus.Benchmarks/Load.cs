using System.Diagnostics;
using Nexus.Kernel.Execution;

namespace Nexus.Benchmarks;

/// <summary>Times triggers from concurrent callers until a count or a duration is reached, whichever comes first.</summary>
internal static class Load
{
    public static async Task<Measurement> RunAsync(
        int callers, int maxTriggers, TimeSpan maxDuration, Func<int, Task<ExecutionResult>> trigger)
    {
        var started = 0;
        var failures = 0;
        string? firstFailure = null;
        var clock = Stopwatch.StartNew();
        var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
        {
            var samples = new List<(double Ms, double SandboxMs)>();
            while (clock.Elapsed < maxDuration && Interlocked.Increment(ref started) <= maxTriggers)
            {
                var begin = Stopwatch.GetTimestamp();
                try
                {
                    var result = await trigger(caller);
                    samples.Add((Stopwatch.GetElapsedTime(begin).TotalMilliseconds, result.Metrics.ExecutionTimeUs / 1000.0));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                    // A stalled or failed trigger is a finding to report beside the numbers, not a reason to stop.
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, ex.Message, null);
                }
            }
            return samples;
        }));
        var all = perCaller.SelectMany(s => s).ToList();
        return new Measurement(
            [.. all.Select(s => s.Ms).Order()], [.. all.Select(s => s.SandboxMs).Order()], clock.Elapsed, failures, firstFailure);
    }
}

/// <summary>Sorted round-trip and sandbox times of one scenario's successful triggers, how long it ran, what failed.</summary>
internal sealed record Measurement(
    IReadOnlyList<double> LatenciesMs, IReadOnlyList<double> SandboxMs, TimeSpan Elapsed, int Failures, string? FirstFailure)
{
    public int Count => LatenciesMs.Count;

    public double PerSecond => Count / Elapsed.TotalSeconds;

    public static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
}
