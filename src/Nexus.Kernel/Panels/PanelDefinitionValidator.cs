using System.Text;
using Nexus.Kernel.Capabilities;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Handlers;

namespace Nexus.Kernel.Panels;

/// <summary>One thing wrong with a definition, with the JSON path to the field.</summary>
public sealed record DefinitionProblem(string Path, string Message);

/// <summary>Checks a panel definition before anything is stored.</summary>
public static class PanelDefinitionValidator
{
    private const int MaxIdLength = 128;

    /// <summary>Every problem found; empty when the definition is valid.</summary>
    public static IReadOnlyList<DefinitionProblem> Validate(PanelDefinition definition, ExecutionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(limits);
        var problems = new List<DefinitionProblem>();
        if (definition.Id is { } id && !IsValidId(id))
        {
            problems.Add(new("id", $"must be 1-{MaxIdLength} characters of letters, digits, '-', '_' or '.'"));
        }
        if (string.IsNullOrWhiteSpace(definition.Kind))
        {
            problems.Add(new("kind", "is required"));
        }
        CheckCapabilities(definition.Capabilities, "capabilities", problems);
        if (definition.Tools is null)
        {
            problems.Add(new("tools", "is required (it may be empty)"));
            return problems;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Tools.Count; i++)
        {
            var tool = definition.Tools[i];
            var path = $"tools[{i}]";
            if (tool is null)
            {
                problems.Add(new(path, "must be an object"));
                continue;
            }
            if (string.IsNullOrWhiteSpace(tool.Name))
            {
                problems.Add(new($"{path}.name", "is required"));
            }
            else if (!seen.Add(tool.Name))
            {
                problems.Add(new($"{path}.name", $"'{tool.Name}' is already used by another tool"));
            }
            CheckHandler(tool.Handler, $"{path}.handler", limits, problems);
            CheckTrigger(tool.Trigger, $"{path}.trigger", problems);
            CheckCapabilities(tool.Capabilities, $"{path}.capabilities", problems);
        }
        return problems;
    }

    /// <summary>Whether <paramref name="id"/> can name a panel (it becomes part of URLs and entity keys).</summary>
    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= MaxIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static void CheckHandler(string? handler, string path, ExecutionLimits limits, List<DefinitionProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(handler))
        {
            problems.Add(new(path, "is required"));
            return;
        }
        var bytes = Encoding.UTF8.GetByteCount(handler);
        if (bytes > limits.MaxHandlerBytes)
        {
            problems.Add(new(path, $"is {bytes} bytes; the limit is {limits.MaxHandlerBytes}"));
            return;
        }
        if (HandlerAnalyzer.Analyze(handler).SyntaxError is { } error)
        {
            problems.Add(new(path, error.Message));
        }
    }

    private static void CheckTrigger(TriggerDefinition? trigger, string path, List<DefinitionProblem> problems)
    {
        if (trigger is null)
        {
            problems.Add(new(path, "is required"));
            return;
        }
        switch (trigger.Type)
        {
            case TriggerDefinition.Manual:
                break;
            case TriggerDefinition.Interval when trigger.Ms is not > 0:
                problems.Add(new($"{path}.ms", "must be a positive number of milliseconds"));
                break;
            case TriggerDefinition.Event when string.IsNullOrWhiteSpace(trigger.Pattern):
                problems.Add(new($"{path}.pattern", "is required for an event trigger"));
                break;
            case TriggerDefinition.Cron when string.IsNullOrWhiteSpace(trigger.Expression):
                problems.Add(new($"{path}.expression", "is required for a cron trigger"));
                break;
            case TriggerDefinition.StateChange when string.IsNullOrWhiteSpace(trigger.Path):
                problems.Add(new($"{path}.path", "is required for a state_change trigger"));
                break;
            case TriggerDefinition.Interval or TriggerDefinition.Event or TriggerDefinition.Cron or TriggerDefinition.StateChange:
                break;
            default:
                problems.Add(new($"{path}.type",
                    $"'{trigger.Type}' is not a trigger type; use manual, interval, event, cron or state_change"));
                break;
        }
    }

    private static void CheckCapabilities(IReadOnlyList<string>? tokens, string path, List<DefinitionProblem> problems)
    {
        if (tokens is null)
        {
            return;
        }
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!Capability.TryParse(tokens[i], out _, out var problem))
            {
                problems.Add(new($"{path}[{i}]", problem!));
            }
        }
    }
}
