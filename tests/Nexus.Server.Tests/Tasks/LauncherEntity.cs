using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace Nexus.Server.Tests.Tasks;

/// <summary>Starts an <see cref="EchoOrchestrator"/> from an entity operation and counts the launches.</summary>
public sealed class LauncherEntity : TaskEntity<int>
{
    public void Launch(string instanceId)
    {
        Context.ScheduleNewOrchestration(
            nameof(EchoOrchestrator), $"launched by {Context.Id.Key}", new StartOrchestrationOptions(instanceId));
        State++;
    }
}
