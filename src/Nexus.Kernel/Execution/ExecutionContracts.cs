using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nexus.Kernel.Execution;

/// <summary>How a run ended.</summary>
public enum ExecutionStatus
{
    Success,
    Suspended,
    Error,
}

/// <summary>One change to a top-level state key: <c>op</c> is <c>set</c> (with <c>value</c>) or <c>delete</c>.</summary>
public sealed record StateMutation(string Op, string Key, JsonElement? Value = null)
{
    public const string SetOp = "set";
    public const string DeleteOp = "delete";

    /// <summary>A mutation that sets <paramref name="key"/>.</summary>
    public static StateMutation Set(string key, JsonElement value) => new(SetOp, key, value);

    /// <summary>A mutation that removes <paramref name="key"/>.</summary>
    public static StateMutation Delete(string key) => new(DeleteOp, key);
}

/// <summary>An event a handler emitted; <c>timestamp</c> is stamped by the host in ms since the epoch.</summary>
public sealed record EmittedEvent(string Name, JsonElement Payload, long Timestamp);

/// <summary>A command for a view component: <c>setFilter</c>, <c>scrollTo</c>, <c>focus</c> or a custom name.</summary>
public sealed record ViewCommand(string? ViewId, string Command, JsonElement Params);

/// <summary>One <c>$log</c> line of a run.</summary>
public sealed record LogEntry(string Level, string Message, long Timestamp);

/// <summary>Where in the handler source an error happened (1-based).</summary>
public sealed record ErrorLocation(int Line, int Column, string? SourceSnippet = null);

/// <summary>Why a run failed.</summary>
public sealed record ExecutionError(string Code, string Message, ErrorLocation? Location = null);

/// <summary>The extension call a suspended run waits for.</summary>
public sealed record SuspensionDetails(string SuspensionId, string ExtensionName, string Method, JsonElement Args);

/// <summary>Measurements of one run.</summary>
public sealed record ExecutionMetrics(
    long ExecutionTimeUs,
    long MemoryUsedBytes,
    long MemoryPeakBytes,
    int HostCalls,
    bool CacheHit);

/// <summary>
/// How many effects of each kind a run has reported so far. A result lists the effects from these offsets on, so
/// a caller that applies every result it receives applies each effect exactly once.
/// </summary>
public sealed record EffectCounts(int Mutations, int Events, int ViewCommands, int Logs)
{
    /// <summary>Nothing reported yet.</summary>
    public static EffectCounts None { get; } = new(0, 0, 0, 0);
}

/// <summary>What a run produced. Effects are only those not reported by an earlier result of the same run.</summary>
public sealed record ExecutionResult
{
    public required string ExecutionId { get; init; }
    public required ExecutionStatus Status { get; init; }
    public JsonElement? ReturnValue { get; init; }
    public IReadOnlyList<StateMutation> StateMutations { get; init; } = [];
    public IReadOnlyList<EmittedEvent> Events { get; init; } = [];
    public IReadOnlyList<ViewCommand> ViewCommands { get; init; } = [];
    public IReadOnlyList<LogEntry> Logs { get; init; } = [];
    public SuspensionDetails? Suspension { get; init; }
    public ExecutionError? Error { get; init; }
    public required ExecutionMetrics Metrics { get; init; }

    /// <summary>Where this result's effect lists start within the whole run.</summary>
    public EffectCounts EffectOffsets { get; init; } = EffectCounts.None;

    /// <summary>The run's journal: pass it back, with the extension outcome, to resume a suspended run.</summary>
    public Journal? Journal { get; init; }

    /// <summary>
    /// A run of <paramref name="request"/> that failed before the handler could do anything: no effects of its own,
    /// offsets where its journal left off, the journal kept so the run can be examined.
    /// </summary>
    public static ExecutionResult FailedBeforeRunning(ExecutionRequest request, ExecutionError error)
    {
        ArgumentNullException.ThrowIfNull(request);
        return FailedBeforeRunning(
            request.Journal?.ExecutionId ?? request.ExecutionId ?? Guid.NewGuid().ToString("N"),
            request.Journal?.Reported ?? EffectCounts.None,
            error,
            request.Journal);
    }

    /// <summary>A failed run with no effects of its own, after <paramref name="reported"/> effects already reported.</summary>
    public static ExecutionResult FailedBeforeRunning(
        string executionId, EffectCounts reported, ExecutionError error, Journal? journal = null) => new()
    {
        ExecutionId = executionId,
        Status = ExecutionStatus.Error,
        Error = error,
        Metrics = new ExecutionMetrics(0, 0, 0, 0, false),
        EffectOffsets = reported,
        Journal = journal,
    };

    /// <summary>True when the run ended with <see cref="ExecutionStatus.Error"/>.</summary>
    [JsonIgnore]
    public bool Failed => Status == ExecutionStatus.Error;
}
