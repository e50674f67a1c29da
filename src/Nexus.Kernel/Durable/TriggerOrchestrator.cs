using System.Text.Json;
using Microsoft.DurableTask;
using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Durable;

/// <summary>Input of <see cref="TriggerOrchestrator"/>: the run and the extension call it is suspended on.</summary>
public sealed record TriggerRun(string PanelId, string RunId, SuspensionDetails Suspension, int SuspensionTimeoutMs);

/// <summary>Input of <see cref="InvokeExtension"/>.</summary>
public sealed record ExtensionCall(string Extension, string Method, JsonElement Args);

/// <summary>
/// Carries a suspended run to its end: races the extension call (<see cref="InvokeExtension"/>) against a durable
/// timer, resumes the run through its <see cref="PanelEntity"/> with the winner's outcome, and repeats for as many
/// suspensions as the run has. Its output is the run's final result.
/// </summary>
/// <remarks>
/// Determinism: only the context's clock and timers are used, and the loop ends when the entity reports no further
/// suspension. A timeout resumes the run with a rejected promise (<c>Extension call timed out after N ms</c>); the
/// late activity result is then ignored. Started by the entity at a run's first suspension, so a trigger that never
/// suspends costs no orchestration.
/// </remarks>
public sealed class TriggerOrchestrator : TaskOrchestrator<TriggerRun, ExecutionResult?>
{
    /// <summary>The orchestration instance id of run <paramref name="runId"/> of panel <paramref name="panelId"/>.</summary>
    public static string InstanceIdFor(string panelId, string runId) => $"run:{panelId}:{runId}";

    /// <inheritdoc/>
    public override async Task<ExecutionResult?> RunAsync(TaskOrchestrationContext context, TriggerRun input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var panel = PanelEntity.IdFor(input.PanelId);
        var suspension = input.Suspension;
        while (true)
        {
            var outcome = await CallWithTimeoutAsync(context, suspension, input.SuspensionTimeoutMs);
            var step = await context.Entities.CallEntityAsync<ResumeStep>(
                panel, nameof(PanelEntity.Resume), new ResumeRun(input.RunId, suspension.SuspensionId, outcome));
            if (step.Suspension is null || step.Suspension.SuspensionId == suspension.SuspensionId)
            {
                return step.Result;
            }
            suspension = step.Suspension;
        }
    }

    private static async Task<ExtensionOutcome> CallWithTimeoutAsync(
        TaskOrchestrationContext context, SuspensionDetails suspension, int timeoutMs)
    {
        using var timerCancellation = new CancellationTokenSource();
        var call = context.CallActivityAsync<ExtensionOutcome>(
            nameof(InvokeExtension), new ExtensionCall(suspension.ExtensionName, suspension.Method, suspension.Args));
        var timer = context.CreateTimer(context.CurrentUtcDateTime.AddMilliseconds(timeoutMs), timerCancellation.Token);
        if (await Task.WhenAny(call, timer) != call)
        {
            return ExtensionOutcome.Fail($"Extension call timed out after {timeoutMs} ms", ErrorCodes.ExtensionTimeout);
        }
        // Cancelling the timer lets the orchestration finish without waiting for it. Cancel(), not CancelAsync():
        // the latter resumes on a pool thread, outside the orchestration scheduler, and the instance hangs.
        timerCancellation.Cancel();
        try
        {
            return await call;
        }
        catch (TaskFailedException ex)
        {
            return ExtensionOutcome.Fail(
                $"Extension call {suspension.ExtensionName}.{suspension.Method} failed: {ex.FailureDetails.ErrorMessage}",
                ErrorCodes.ExtensionError);
        }
    }
}
