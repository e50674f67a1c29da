using System.Text.Json;
using Nexus.Kernel.Capabilities;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;
using Nexus.Kernel.Json;

namespace Nexus.Sandbox.Tests.Support;

/// <summary>Builds requests and resumes for the tests.</summary>
public static class Handlers
{
    /// <summary>The extensions every test run sees: the built-in <c>http</c> and a <c>db</c> with two methods.</summary>
    public static ExtensionCatalog Extensions { get; } = new(new Dictionary<string, IReadOnlyCollection<string>>
    {
        ["http"] = ExtensionCatalog.HttpMethods,
        ["db"] = ["query", "insert"],
    });

    /// <summary>
    /// A request for <paramref name="handler"/>. Capabilities: every one unless <paramref name="capabilities"/> lists
    /// tokens, or inferred from the source when <paramref name="infer"/> is set.
    /// </summary>
    public static ExecutionRequest Request(
        string handler,
        string state = "{}",
        string? args = null,
        string? scope = null,
        string[]? capabilities = null,
        bool infer = false,
        ExecutionLimits? limits = null,
        Journal? journal = null) => new()
    {
        PanelId = "panel-1",
        ToolName = "tool",
        Handler = handler,
        State = State(state),
        Args = args is null ? null : NexusJson.Parse(args),
        Scope = scope is null ? null : NexusJson.Parse(scope),
        Capabilities = infer ? null : capabilities is null ? CapabilitySet.All : CapabilitySet.Parse(capabilities),
        Extensions = Extensions,
        Limits = limits ?? ExecutionLimits.Default,
        Journal = journal,
    };

    /// <summary>The request that resumes <paramref name="suspended"/> with <paramref name="outcome"/>.</summary>
    public static ExecutionRequest Resume(
        ExecutionRequest original, ExecutionResult suspended, ExtensionOutcome outcome, string? state = null)
    {
        Assert.Equal(ExecutionStatus.Suspended, suspended.Status);
        return original with
        {
            Journal = suspended.Journal!.WithOutcome(outcome),
            State = state is null ? original.State : State(state),
        };
    }

    public static ExtensionOutcome Ok(string json) => ExtensionOutcome.Ok(NexusJson.Parse(json));

    public static Dictionary<string, JsonElement> State(string json) =>
        NexusJson.Parse(json).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);

    /// <summary>Applies reported mutations to a state, as the panel would.</summary>
    public static Dictionary<string, JsonElement> Apply(
        IReadOnlyDictionary<string, JsonElement> state, IEnumerable<StateMutation> mutations)
    {
        var next = new Dictionary<string, JsonElement>(state, StringComparer.Ordinal);
        foreach (var m in mutations)
        {
            if (m.Op == StateMutation.SetOp)
            {
                next[m.Key] = m.Value!.Value;
            }
            else
            {
                next.Remove(m.Key);
            }
        }
        return next;
    }
}
