using Microsoft.Extensions.Logging;

namespace Nexus.Server.Logging;

/// <summary>The server's log messages; event ids are grouped by area (100-119: durable host, 200-219: panels).</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Durable host starting on task hub {TaskHub}")]
    public static partial void DurableHostStarting(this ILogger logger, string taskHub);

    [LoggerMessage(101, LogLevel.Information, "Durable host started on task hub {TaskHub} in {ElapsedMs} ms")]
    public static partial void DurableHostStarted(this ILogger logger, string taskHub, long elapsedMs);

    [LoggerMessage(102, LogLevel.Information, "Durable host stopping on task hub {TaskHub}")]
    public static partial void DurableHostStopping(this ILogger logger, string taskHub);

    [LoggerMessage(103, LogLevel.Debug, "Scheduled orchestration {Name} as {InstanceId}")]
    public static partial void OrchestrationScheduled(this ILogger logger, string name, string instanceId);

    [LoggerMessage(104, LogLevel.Debug, "Signalled entity {EntityId} with {Operation}")]
    public static partial void EntitySignalled(this ILogger logger, string entityId, string operation);

    [LoggerMessage(105, LogLevel.Information, "Deleting task hub {TaskHub} and all of its instances")]
    public static partial void TaskHubDeleting(this ILogger logger, string taskHub);

    [LoggerMessage(200, LogLevel.Information, "Panel {PanelId} created")]
    public static partial void PanelCreated(this ILogger logger, string panelId);

    [LoggerMessage(201, LogLevel.Information, "Panel {PanelId} deleted; {CancelledRuns} open runs cancelled")]
    public static partial void PanelDeleted(this ILogger logger, string panelId, int cancelledRuns);

    [LoggerMessage(202, LogLevel.Debug, "Run {RunId} of panel {PanelId} ended {Status} in {ElapsedUs} us (version {Version})")]
    public static partial void RunEnded(this ILogger logger, string panelId, string runId, string status, long elapsedUs, long version);

    [LoggerMessage(203, LogLevel.Information, "Run {RunId} of panel {PanelId} suspended on {Extension}.{Method} ({SuspensionId})")]
    public static partial void RunSuspended(this ILogger logger, string panelId, string runId, string extension, string method, string suspensionId);

    [LoggerMessage(204, LogLevel.Debug, "Run {RunId} of panel {PanelId} failed: {Code} {Message}")]
    public static partial void RunFailed(this ILogger logger, string panelId, string runId, string code, string message);

    [LoggerMessage(205, LogLevel.Information, "Request {RequestId} for panel {PanelId} refused: {Code} {Message}")]
    public static partial void PanelRequestRefused(this ILogger logger, string panelId, string requestId, string code, string message);
}
