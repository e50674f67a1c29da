namespace Nexus.Sandbox;

/// <summary>A snapshot of the sandbox's work in this process, for <c>/health</c> and <c>/metrics</c>.</summary>
public sealed record SandboxStats(
    long TotalRuns,
    long FailedRuns,
    int ActiveRuns,
    int AvailableSlots,
    int MaxInstances,
    int QueuedRuns,
    double CacheHitRate,
    double AverageRunTimeUs,
    long PeakRunTimeUs,
    double AverageMemoryBytes,
    long PeakMemoryBytes,
    bool EngineFromDiskCache,
    double EngineLoadMs);
