using System.Collections.Concurrent;
using Microsoft.DurableTask;

namespace Nexus.Server.Tests.Tasks;

/// <summary>Returns "done" at once, or when the test opens the named gate: a slow activity without a sleep.</summary>
public sealed class GatedActivity : TaskActivity<string?, string>
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    public static void Open(string gate) => GateFor(gate).TrySetResult();

    public override async Task<string> RunAsync(TaskActivityContext context, string? gate)
    {
        if (gate is not null)
        {
            await GateFor(gate).Task;
        }

        return "done";
    }

    private static TaskCompletionSource GateFor(string gate) =>
        Gates.GetOrAdd(gate, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
