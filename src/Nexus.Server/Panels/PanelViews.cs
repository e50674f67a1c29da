using System.Text.Json;
using Nexus.Kernel.Durable;
using Nexus.Kernel.Execution;

namespace Nexus.Server.Panels;

/// <summary>A panel as <c>GET /panels/{id}</c> shows it.</summary>
public sealed record PanelInfo(
    string Id,
    string Kind,
    string? Title,
    string Status,
    IReadOnlyDictionary<string, JsonElement> State,
    long Version,
    IReadOnlyList<string> Tools,
    int OpenRuns,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivity,
    int ClientCount)
{
    public static PanelInfo From(PanelRecord record) => new(
        record.Definition.Id!,
        record.Definition.Kind,
        record.Definition.Title,
        record.Status,
        record.State,
        record.Version,
        (record.Definition.Tools ?? []).Select(t => t.Name).ToList(),
        record.Runs.Count,
        record.CreatedAt,
        record.LastActivity,
        0);
}

/// <summary>The answer to <c>POST /panels</c>.</summary>
public sealed record PanelCreatedResponse(string Id, string Status, long Version, string HubUrl);

/// <summary>One page of <c>GET /panels</c>.</summary>
public sealed record PanelPage(IReadOnlyList<PanelInfo> Panels, int Total, string? Continuation);

/// <summary>
/// Where a run is: <c>suspended</c> (with the call it waits for) or finished (<c>success</c>/<c>error</c>, with its
/// return value or error). <c>result</c>, the last hop's full result, is present when the run suspended at least once.
/// </summary>
public sealed record RunStatus(
    string RunId,
    string PanelId,
    string Status,
    SuspensionDetails? Suspension = null,
    JsonElement? ReturnValue = null,
    ExecutionError? Error = null,
    ExecutionResult? Result = null);

/// <summary>How a trigger request ended: finished in time, or still going (202).</summary>
public sealed record TriggerOutcome(string RunId, ExecutionResult? Result, RunProgress? LastProgress);
