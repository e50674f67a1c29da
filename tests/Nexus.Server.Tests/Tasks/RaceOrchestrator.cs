using Microsoft.DurableTask;

namespace Nexus.Server.Tests.Tasks;

/// <summary>Input of <see cref="RaceOrchestrator"/>: the gate its activity waits on, and the timer's length.</summary>
public sealed record RaceInput(string? Gate, int TimeoutMs);

/// <summary>Races an activity against a durable timer: the activity's result, or "timeout".</summary>
/// <remarks>
/// The shape of a suspended run waiting for an extension call with a deadline. The outcome is also the custom
/// status, because DTFx marks an instance completed only once no task is open: after a timeout that is when the
/// losing activity ends, while the custom status is written as soon as the timer's episode is.
/// </remarks>
public sealed class RaceOrchestrator : TaskOrchestrator<RaceInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, RaceInput input)
    {
        using var timerCancellation = new CancellationTokenSource();
        var work = context.CallActivityAsync<string>(nameof(GatedActivity), input.Gate);
        var deadline = context.CurrentUtcDateTime.AddMilliseconds(input.TimeoutMs);
        var timer = context.CreateTimer(deadline, timerCancellation.Token);
        if (await Task.WhenAny(work, timer) == work)
        {
            // Cancel, not CancelAsync: the latter resumes this method on a pool thread, outside the orchestration's
            // scheduler, and the orchestration then never completes.
            timerCancellation.Cancel();
            return Report(context, await work);
        }

        // An activity cannot be cancelled: the instance stays Running until it ends, and its result is then ignored.
        return Report(context, "timeout");
    }

    private static string Report(TaskOrchestrationContext context, string outcome)
    {
        context.SetCustomStatus(outcome);
        return outcome;
    }
}
