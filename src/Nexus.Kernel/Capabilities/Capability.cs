namespace Nexus.Kernel.Capabilities;

/// <summary>What a capability token grants.</summary>
public enum CapabilityKind
{
    StateRead,
    StateWrite,
    EventsEmit,
    ViewUpdate,
    Extension,
}

/// <summary>
/// One capability token: <c>state:read:&lt;key&gt;</c>, <c>state:write:&lt;key&gt;</c>, <c>events:emit:&lt;name&gt;</c>,
/// <c>view:update:&lt;id&gt;</c> or <c>ext:&lt;name&gt;</c>, where the last segment may be <c>*</c>.
/// </summary>
public sealed record Capability(CapabilityKind Kind, string Target)
{
    public const string Wildcard = "*";

    /// <summary>Whether this token grants <paramref name="kind"/> on <paramref name="target"/>.</summary>
    public bool Grants(CapabilityKind kind, string target) =>
        Kind == kind && (Target == Wildcard || string.Equals(Target, target, StringComparison.Ordinal));

    /// <summary>The token's text form.</summary>
    public override string ToString() => Format(Kind, Target);

    /// <summary>The token text for <paramref name="kind"/> and <paramref name="target"/>.</summary>
    public static string Format(CapabilityKind kind, string target) => kind switch
    {
        CapabilityKind.StateRead => $"state:read:{target}",
        CapabilityKind.StateWrite => $"state:write:{target}",
        CapabilityKind.EventsEmit => $"events:emit:{target}",
        CapabilityKind.ViewUpdate => $"view:update:{target}",
        _ => $"ext:{target}",
    };

    /// <summary>Parses a token; returns false with a reason for anything outside the grammar.</summary>
    public static bool TryParse(string? text, out Capability? capability, out string? problem)
    {
        capability = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "a capability must be a non-empty string";
            return false;
        }
        var parts = text.Split(':');
        CapabilityKind? kind = parts switch
        {
            ["state", "read", _] => CapabilityKind.StateRead,
            ["state", "write", _] => CapabilityKind.StateWrite,
            ["events", "emit", _] => CapabilityKind.EventsEmit,
            ["view", "update", _] => CapabilityKind.ViewUpdate,
            ["ext", _] => CapabilityKind.Extension,
            _ => null,
        };
        var target = parts[^1];
        if (kind is null || target.Length == 0)
        {
            problem = $"'{text}' is not a capability; expected state:read:<key>, state:write:<key>, " +
                      "events:emit:<name>, view:update:<id> or ext:<name> (the last part may be *)";
            return false;
        }
        capability = new Capability(kind.Value, target);
        return true;
    }
}
