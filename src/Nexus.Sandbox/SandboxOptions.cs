namespace Nexus.Sandbox;

/// <summary>How the sandbox engine is run in this process.</summary>
public sealed record SandboxOptions
{
    /// <summary>Runs at once (<c>MAX_INSTANCES</c>); further runs wait their turn.</summary>
    public int MaxInstances { get; init; } = 10;

    /// <summary>Where the compiled engine is cached between processes (<c>CACHE_DIR</c>).</summary>
    public string CacheDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "nexus-cache");

    /// <summary>How often the wall-clock deadline advances; a run's timeout is measured in these ticks.</summary>
    public TimeSpan EpochTick { get; init; } = TimeSpan.FromMilliseconds(5);
}
