using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nexus.Kernel.Panels;

/// <summary>What a client submits to create a panel.</summary>
public sealed record PanelDefinition
{
    /// <summary>The panel id; generated (<c>panel_</c> + 8 hex) when omitted.</summary>
    public string? Id { get; init; }

    /// <summary>A free-form panel type.</summary>
    public string Kind { get; init; } = "";
    public string? Title { get; init; }
    /// <summary>The tools; required (it may be empty), so null means the client left it out.</summary>
    public IReadOnlyList<ToolDefinition>? Tools { get; init; }

    /// <summary>The panel's first state: an object of top-level keys.</summary>
    public Dictionary<string, JsonElement>? InitialState { get; init; }

    /// <summary>Panel-wide capability tokens; a tool's own list replaces them.</summary>
    public IReadOnlyList<string>? Capabilities { get; init; }
    public JsonElement? Metadata { get; init; }

    /// <summary>The tool named <paramref name="name"/>, or null.</summary>
    public ToolDefinition? FindTool(string name) => Tools?.FirstOrDefault(t => t.Name == name);
}

/// <summary>One tool of a panel: a JavaScript handler and what triggers it.</summary>
public sealed record ToolDefinition
{
    public string Name { get; init; } = "";

    /// <summary>The body of an async function.</summary>
    public string Handler { get; init; } = "";
    public TriggerDefinition Trigger { get; init; } = new() { Type = TriggerDefinition.Manual };
    public string? Description { get; init; }

    /// <summary>When present, replaces the panel's capabilities for this tool (not merged).</summary>
    public IReadOnlyList<string>? Capabilities { get; init; }
}

/// <summary>What runs a tool: <c>manual</c>, <c>interval</c> (ms), <c>event</c> (pattern), <c>cron</c>, <c>state_change</c> (path).</summary>
public sealed record TriggerDefinition
{
    public const string Manual = "manual";
    public const string Interval = "interval";
    public const string Event = "event";
    public const string Cron = "cron";
    public const string StateChange = "state_change";

    public string Type { get; init; } = Manual;

    [JsonPropertyName("ms")]
    public long? Ms { get; init; }
    public string? Pattern { get; init; }
    public string? Expression { get; init; }
    public string? Path { get; init; }
}
