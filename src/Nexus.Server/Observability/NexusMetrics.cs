using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Nexus.Kernel.Durable;
using Nexus.Kernel.Execution;
using Nexus.Sandbox;
using Nexus.Server.Panels;

namespace Nexus.Server.Observability;

/// <summary>Counters for <c>/metrics</c> (Prometheus text format), fed by committed notices and request middleware.</summary>
public sealed class NexusMetrics : IPanelNoticeSink
{
    private static readonly double[] s_bucketsSeconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private readonly ConcurrentDictionary<(string Status, string Code), long> _runs = new();
    private readonly ConcurrentDictionary<(string Extension, string Outcome), long> _extensionCalls = new();
    private readonly ConcurrentDictionary<(string Method, string Route, int Status), long> _requests = new();
    private readonly ConcurrentDictionary<string, byte> _openRuns = new(StringComparer.Ordinal);
    private readonly long[] _bucketCounts = new long[s_bucketsSeconds.Length];
    private long _durationCount;
    private long _durationMicros;

    public int OpenRuns => _openRuns.Count;

    /// <inheritdoc/>
    public void OnNotice(PanelNotice notice)
    {
        if (notice is PanelDeleted deleted)
        {
            foreach (var run in deleted.CancelledRuns)
            {
                _openRuns.TryRemove(run, out _);
            }
            return;
        }
        if (notice is not RunProgress { Result: { } result } progress)
        {
            return;
        }
        if (result.Status == ExecutionStatus.Suspended)
        {
            _openRuns.TryAdd(progress.RunId, 0);
        }
        else
        {
            _openRuns.TryRemove(progress.RunId, out _);
        }
        _runs.AddOrUpdate((Name(result.Status), result.Error?.Code ?? ""), 1, (_, n) => n + 1);
        Observe(result.Metrics.ExecutionTimeUs);
    }

    public void CountExtensionCall(string extension, bool success) =>
        _extensionCalls.AddOrUpdate((extension, success ? "success" : "failure"), 1, (_, n) => n + 1);

    public void CountRequest(string method, string route, int status) =>
        _requests.AddOrUpdate((method, route, status), 1, (_, n) => n + 1);

    /// <summary>The exposition text.</summary>
    public string Render(SandboxStats sandbox)
    {
        var b = new StringBuilder();
        Header(b, "nexus_runs_total", "counter", "Handler runs (each hop of a suspended run counts) by status and error code.");
        foreach (var ((status, code), n) in _runs.OrderBy(kv => kv.Key))
        {
            b.Append(CultureInfo.InvariantCulture, $"nexus_runs_total{{status=\"{status}\",code=\"{code}\"}} {n}\n");
        }
        Header(b, "nexus_run_duration_seconds", "histogram", "Time of one handler run in the sandbox.");
        long cumulative = 0;
        for (var i = 0; i < s_bucketsSeconds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _bucketCounts[i]);
            b.Append(CultureInfo.InvariantCulture, $"nexus_run_duration_seconds_bucket{{le=\"{s_bucketsSeconds[i]}\"}} {cumulative}\n");
        }
        var count = Interlocked.Read(ref _durationCount);
        b.Append(CultureInfo.InvariantCulture, $"nexus_run_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n");
        b.Append(CultureInfo.InvariantCulture, $"nexus_run_duration_seconds_sum {Interlocked.Read(ref _durationMicros) / 1e6}\n");
        b.Append(CultureInfo.InvariantCulture, $"nexus_run_duration_seconds_count {count}\n");
        Header(b, "nexus_suspensions_open", "gauge", "Runs suspended on an extension call.");
        b.Append(CultureInfo.InvariantCulture, $"nexus_suspensions_open {OpenRuns}\n");
        Header(b, "nexus_extension_calls_total", "counter", "Extension calls by outcome.");
        foreach (var ((extension, outcome), n) in _extensionCalls.OrderBy(kv => kv.Key))
        {
            b.Append(CultureInfo.InvariantCulture, $"nexus_extension_calls_total{{extension=\"{extension}\",outcome=\"{outcome}\"}} {n}\n");
        }
        Header(b, "nexus_http_requests_total", "counter", "HTTP requests by method, route and status.");
        foreach (var ((method, route, status), n) in _requests.OrderBy(kv => kv.Key))
        {
            b.Append(CultureInfo.InvariantCulture, $"nexus_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}\n");
        }
        Header(b, "nexus_sandbox_runs_active", "gauge", "Sandbox runs executing now.");
        b.Append(CultureInfo.InvariantCulture, $"nexus_sandbox_runs_active {sandbox.ActiveRuns}\n");
        Header(b, "nexus_sandbox_runs_queued", "gauge", "Sandbox runs waiting for a slot (MAX_INSTANCES).");
        b.Append(CultureInfo.InvariantCulture, $"nexus_sandbox_runs_queued {sandbox.QueuedRuns}\n");
        Header(b, "nexus_sandbox_peak_memory_bytes", "gauge", "Largest JavaScript heap a run used.");
        b.Append(CultureInfo.InvariantCulture, $"nexus_sandbox_peak_memory_bytes {sandbox.PeakMemoryBytes}\n");
        return b.ToString();
    }

    private void Observe(long micros)
    {
        Interlocked.Increment(ref _durationCount);
        Interlocked.Add(ref _durationMicros, micros);
        var seconds = micros / 1e6;
        for (var i = 0; i < s_bucketsSeconds.Length; i++)
        {
            if (seconds <= s_bucketsSeconds[i])
            {
                Interlocked.Increment(ref _bucketCounts[i]);
                return;
            }
        }
    }

    private static void Header(StringBuilder b, string name, string type, string help) =>
        b.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static string Name(ExecutionStatus status) => status.ToString().ToLowerInvariant();
}
