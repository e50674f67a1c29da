using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Durable;

/// <summary>Settings the durable panel classes share.</summary>
public sealed record PanelKernelOptions
{
    /// <summary>Limits for every handler run.</summary>
    public ExecutionLimits Limits { get; init; } = ExecutionLimits.Default;

    /// <summary>How long a suspended run waits for its extension call (<c>SUSPENSION_TIMEOUT_MS</c>).</summary>
    public int SuspensionTimeoutMs { get; init; } = 30_000;

    /// <summary>How many finished runs a panel remembers for <c>GET /panels/{id}/runs/{runId}</c>.</summary>
    public int RecentRuns { get; init; } = 20;
}
