using System.Diagnostics;
using System.Runtime;

namespace Nexus.Benchmarks;

/// <summary>
/// The Nexus server over HTTP on loopback: trigger latency, throughput and the cost of a suspension, with Azurite in
/// memory and the server in this process.
/// </summary>
internal static class ServerReport
{
    private const string Tool = "run";
    private static readonly object NoArgs = new { };

    public static async Task RunAsync()
    {
        var total = Stopwatch.StartNew();
        using var azurite = await AzuriteProcess.StartAsync();
        await using var echo = await EchoEndpoint.StartAsync();
        await using var server = await InProcessServer.StartAsync(azurite.ConnectionString);
        var fetchArgs = new { url = echo.Url };

        // Rows are printed as each scenario ends, so the durable backend's warnings show beside the one they hit.
        Console.WriteLine($"Nexus server over HTTP: {Environment.ProcessorCount} cores, server in process " +
            $"({(GCSettings.IsServerGC ? "server" : "workstation")} GC), Azurite in memory, loopback HttpClient");
        Console.WriteLine($"{"scenario",-40} {"runs",6} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"triggers/s",11} {"p50 x",6} {"rate x",7} {"sandbox p50 ms",15} {"failed",7}");

        await server.CreatePanelAsync("seq", Tool, Handlers.Counter);
        // The first scenario also warms the process: tiered JIT, the sandbox's instance pool, storage connections.
        await Load.RunAsync(1, 1000, TimeSpan.FromSeconds(8), _ => server.TriggerAsync("seq", Tool, NoArgs));
        var baseline = await Load.RunAsync(1, 500, TimeSpan.FromSeconds(20), _ => server.TriggerAsync("seq", Tool, NoArgs));
        Print("sequential trigger, 1 panel (baseline)", baseline, baseline);

        await server.CreatePanelAsync("shared", Tool, Handlers.Counter);
        await WarmAsync(server, "shared", NoArgs);
        var onePanel = await Load.RunAsync(16, 5000, TimeSpan.FromSeconds(10), _ => server.TriggerAsync("shared", Tool, NoArgs));
        Print("16 callers, 1 panel", onePanel, baseline);

        var panels = Enumerable.Range(0, 50).Select(i => $"p{i}").ToArray();
        foreach (var panel in panels)
        {
            await server.CreatePanelAsync(panel, Tool, Handlers.Counter);
            await server.TriggerAsync(panel, Tool, NoArgs);
        }
        var manyPanels = await Load.RunAsync(50, 5000, TimeSpan.FromSeconds(10), c => server.TriggerAsync(panels[c], Tool, NoArgs));
        Print("50 callers, 50 panels (1 each)", manyPanels, baseline);

        await server.CreatePanelAsync("direct", Tool, Handlers.CountWithoutFetch);
        await server.CreatePanelAsync("fetch", Tool, Handlers.CountAfterFetch);
        await WarmAsync(server, "direct", fetchArgs);
        await WarmAsync(server, "fetch", fetchArgs);
        var direct = await Load.RunAsync(1, 300, TimeSpan.FromSeconds(15), _ => server.TriggerAsync("direct", Tool, fetchArgs));
        Print("handler without await, sequential", direct, baseline);
        var suspended = await Load.RunAsync(1, 300, TimeSpan.FromSeconds(20), _ => server.TriggerAsync("fetch", Tool, fetchArgs));
        Print("handler with one await $ext.http.get", suspended, baseline);

        Console.WriteLine($"suspension overhead: p50 +{P50(suspended) - P50(direct):F1} ms, " +
            $"p99 +{P99(suspended) - P99(direct):F1} ms. Sandbox time is the returned result's " +
            "metrics.executionTimeUs: for the suspending handler, its two runs (first and resumed) added up.");
        Console.WriteLine("p50 x and rate x compare a row's p50 latency and triggers/s with the baseline row's.");
        Console.WriteLine($"measured in {total.Elapsed.TotalSeconds:F0} s, with start-up, panel creation and warm-up");
    }

    // A new handler's first runs compile it and load the panel's entity.
    private static async Task WarmAsync(InProcessServer server, string panel, object args)
    {
        for (var i = 0; i < 20; i++)
        {
            await server.TriggerAsync(panel, Tool, args);
        }
    }

    private static void Print(string name, Measurement m, Measurement baseline) =>
        Console.WriteLine($"{name,-40} {m.Count,6} {P50(m),8:F1} {Measurement.Percentile(m.LatenciesMs, 0.9),8:F1} " +
            $"{P99(m),8:F1} {m.PerSecond,11:F1} {P50(m) / P50(baseline),6:F2} {m.PerSecond / baseline.PerSecond,7:F2} " +
            $"{Measurement.Percentile(m.SandboxMs, 0.5),15:F2} {m.Failures,7}" +
            (m.FirstFailure is { } failure ? $"  first failure: {failure}" : ""));

    private static double P50(Measurement m) => Measurement.Percentile(m.LatenciesMs, 0.5);

    private static double P99(Measurement m) => Measurement.Percentile(m.LatenciesMs, 0.99);
}
