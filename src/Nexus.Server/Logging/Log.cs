using Microsoft.Extensions.Logging;

namespace Nexus.Server.Logging;

/// <summary>The server's log messages; event ids are grouped by area (100-119: durable host).</summary>
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
}
