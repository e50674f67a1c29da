using Microsoft.DurableTask;

namespace Nexus.Server.Tests.Tasks;

/// <summary>Returns its input: the cheapest possible orchestration round trip.</summary>
public sealed class EchoOrchestrator : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input) => Task.FromResult(input);
}
