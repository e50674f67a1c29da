using System.Text.Json;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Panels;

namespace Nexus.Kernel.Durable;

/// <summary>Input of <see cref="PanelEntity.Create"/>.</summary>
public sealed record CreatePanel(string RequestId, PanelDefinition Definition);

/// <summary>Input of <see cref="PanelEntity.Trigger"/>.</summary>
public sealed record TriggerPanel(string RequestId, string RunId, string Tool, JsonElement? Args);

/// <summary>Input of <see cref="PanelEntity.Resume"/>: the outcome of the call a run is suspended on.</summary>
public sealed record ResumeRun(string RunId, string SuspensionId, ExtensionOutcome Outcome);

/// <summary>What a resume did: the run's next suspension, or its final result.</summary>
public sealed record ResumeStep(SuspensionDetails? Suspension, ExecutionResult? Result)
{
    /// <summary>The run no longer exists (its panel was deleted).</summary>
    public static ResumeStep Gone { get; } = new(null, null);
}

/// <summary>Input of <see cref="PanelEntity.Delete"/>.</summary>
public sealed record DeletePanel(string RequestId);

/// <summary>An API-level failure of a panel operation (not a handler error).</summary>
public sealed record PanelFailure(int Status, string Code, string Message);

/// <summary>Told, after the entity's state is durably saved, about what an operation did.</summary>
public abstract record PanelNotice(string PanelId, string RequestId);

/// <summary>A panel was created (or not).</summary>
public sealed record PanelCreated(string PanelId, string RequestId, long Version, PanelFailure? Failure)
    : PanelNotice(PanelId, RequestId);

/// <summary>A run made progress: suspended, finished, or could not start.</summary>
public sealed record RunProgress(
    string PanelId,
    string RequestId,
    string RunId,
    ExecutionResult? Result,
    long Version,
    string PanelStatus,
    PanelFailure? Failure) : PanelNotice(PanelId, RequestId)
{
    /// <summary>True when the run will not make further progress.</summary>
    public bool IsFinal => Failure is not null || Result is { Status: not ExecutionStatus.Suspended };
}

/// <summary>A panel was deleted; its open runs were cancelled.</summary>
public sealed record PanelDeleted(string PanelId, string RequestId, bool Existed, IReadOnlyList<string> CancelledRuns)
    : PanelNotice(PanelId, RequestId);

/// <summary>Receives notices once the operation that produced them is durably committed.</summary>
public interface IPanelNotifier
{
    /// <summary>Queues a notice for delivery after the entity's current batch commits.</summary>
    void Notify(PanelNotice notice);
}
