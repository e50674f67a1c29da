using Microsoft.DurableTask;

namespace Nexus.Server.Tests.Tasks;

/// <summary>Waits on one durable timer of the given milliseconds, then returns "woke".</summary>
public sealed class SleepOrchestrator : TaskOrchestrator<int, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, int milliseconds)
    {
        await context.CreateTimer(TimeSpan.FromMilliseconds(milliseconds), CancellationToken.None);
        return "woke";
    }
}
