using System.Text.Json;
using Nexus.Kernel.Capabilities;
using Nexus.Kernel.Extensions;

namespace Nexus.Kernel.Execution;

/// <summary>Everything one run of a handler needs. A request with a journal resumes that run by replay.</summary>
public sealed record ExecutionRequest
{
    public required string PanelId { get; init; }
    public required string ToolName { get; init; }

    /// <summary>The handler source: the body of an async function.</summary>
    public required string Handler { get; init; }

    /// <summary>The panel state the run reads (for a resume: the panel's current state).</summary>
    public IReadOnlyDictionary<string, JsonElement> State { get; init; } = new Dictionary<string, JsonElement>();

    public JsonElement? Args { get; init; }
    public JsonElement? Scope { get; init; }

    /// <summary>Declared capabilities; null means infer them from the handler source.</summary>
    public CapabilitySet? Capabilities { get; init; }

    public ExtensionCatalog Extensions { get; init; } = ExtensionCatalog.Empty;

    /// <summary>The id the run reports as <c>executionId</c>; generated when null (a resume keeps its journal's).</summary>
    public string? ExecutionId { get; init; }

    /// <summary>The journal of an earlier, suspended run of the same handler, to resume it.</summary>
    public Journal? Journal { get; init; }

    public ExecutionLimits Limits { get; init; } = ExecutionLimits.Default;
}

/// <summary>The limits every run is held to; each ends the run with its own error code.</summary>
public sealed record ExecutionLimits
{
    /// <summary>The defaults of the original kernel where it had them.</summary>
    public static ExecutionLimits Default { get; } = new();

    /// <summary>Wall-clock time of one run (<c>TIMEOUT_MS</c>).</summary>
    public int TimeoutMs { get; init; } = 5000;

    /// <summary>The QuickJS heap (<c>MEMORY_LIMIT_MB</c>).</summary>
    public long MemoryBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Host calls per run (<c>MAX_HOST_CALLS</c>).</summary>
    public int MaxHostCalls { get; init; } = 1000;

    public int MaxMutations { get; init; } = 1000;
    public int MaxEvents { get; init; } = 100;
    public int MaxViewCommands { get; init; } = 100;
    public int MaxLogs { get; init; } = 200;

    /// <summary>Handler source size in UTF-8 bytes.</summary>
    public int MaxHandlerBytes { get; init; } = 256 * 1024;

    /// <summary>Any single value crossing the boundary (a state value, payload, argument list).</summary>
    public int MaxValueBytes { get; init; } = 1024 * 1024;

    /// <summary>The run's result: return value plus all effects it reports.</summary>
    public int MaxResultBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>C stack JavaScript recursion may use inside the sandbox.</summary>
    public int StackBytes { get; init; } = 128 * 1024;

    /// <summary>CPU budget in Wasmtime fuel units (about 25 million per millisecond of JavaScript).</summary>
    public ulong Fuel { get; init; } = 20_000_000_000;
}

/// <summary>Runs handlers. Implemented by the sandbox.</summary>
public interface IHandlerExecutor
{
    /// <summary>Runs (or resumes) a handler and reports what it did.</summary>
    Task<ExecutionResult> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken = default);
}
