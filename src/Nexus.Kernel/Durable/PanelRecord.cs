using System.Text.Json;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Panels;

namespace Nexus.Kernel.Durable;

/// <summary>A panel's status as clients see it.</summary>
public static class PanelStatus
{
    public const string Running = "running";
    public const string Suspended = "suspended";
    public const string Stopped = "stopped";
}

/// <summary>The durable state of one panel, held by its <see cref="PanelEntity"/>.</summary>
public sealed class PanelRecord
{
    public PanelDefinition Definition { get; set; } = new();
    public string Status { get; set; } = PanelStatus.Running;
    public Dictionary<string, JsonElement> State { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Bumped once per applied batch of mutations; every PATCH carries it.</summary>
    public long Version { get; set; }
    public Dictionary<string, OpenRun> Runs { get; set; } = new(StringComparer.Ordinal);
    public List<RunSummary> RecentRuns { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastActivity { get; set; }
}

/// <summary>A run that is suspended on an extension call: what is needed to resume it by replay.</summary>
public sealed record OpenRun(
    string RunId,
    string Tool,
    JsonElement? Args,
    string? RequestId,
    Journal Journal,
    SuspensionDetails Suspension,
    DateTimeOffset StartedAt);

/// <summary>How a finished run ended, kept for <c>GET /panels/{id}/runs/{runId}</c>.</summary>
public sealed record RunSummary(
    string RunId,
    string Tool,
    ExecutionStatus Status,
    JsonElement? ReturnValue,
    ExecutionError? Error,
    DateTimeOffset FinishedAt);
