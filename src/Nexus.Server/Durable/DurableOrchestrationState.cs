using DurableTask.Core;
using Microsoft.DurableTask.Converters;

namespace Nexus.Server.Durable;

/// <summary>What the backend knows about one orchestration instance; payloads stay serialized until read.</summary>
public sealed record DurableOrchestrationState(
    string InstanceId,
    string Name,
    OrchestrationStatus Status,
    string? SerializedOutput,
    string? SerializedCustomStatus,
    string? FailureMessage,
    DateTime CreatedAtUtc,
    DateTime LastUpdatedAtUtc)
{
    /// <summary>True once the instance will not run again: completed, failed or terminated.</summary>
    public bool IsFinished => Status is OrchestrationStatus.Completed or OrchestrationStatus.Failed
        or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;

    /// <summary>Deserializes the output with the converter the task classes use.</summary>
    public T? ReadOutputAs<T>() => JsonDataConverter.Default.Deserialize<T>(SerializedOutput);

    /// <summary>Deserializes the custom status with the converter the task classes use.</summary>
    public T? ReadCustomStatusAs<T>() => JsonDataConverter.Default.Deserialize<T>(SerializedCustomStatus);

    internal static DurableOrchestrationState From(OrchestrationState state) => new(
        state.OrchestrationInstance.InstanceId,
        state.Name,
        state.OrchestrationStatus,
        state.Output,
        state.Status,
        state.FailureDetails?.ErrorMessage,
        state.CreatedTime,
        state.LastUpdatedTime);
}
