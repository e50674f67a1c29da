namespace Nexus.Kernel.Capabilities;

/// <summary>The capabilities one run holds. With none, every guarded call is denied.</summary>
public sealed class CapabilitySet
{
    private readonly Capability[] _capabilities;

    public CapabilitySet(IEnumerable<Capability> capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        _capabilities = capabilities.Distinct().ToArray();
    }

    /// <summary>No capabilities.</summary>
    public static CapabilitySet None { get; } = new([]);

    /// <summary>Every capability (for trusted tooling and tests).</summary>
    public static CapabilitySet All { get; } = Parse(
        ["state:read:*", "state:write:*", "events:emit:*", "view:update:*", "ext:*"]);

    public IReadOnlyList<Capability> Items => _capabilities;

    /// <summary>Whether any held token grants <paramref name="kind"/> on <paramref name="target"/>.</summary>
    public bool Allows(CapabilityKind kind, string target)
    {
        foreach (var c in _capabilities)
        {
            if (c.Grants(kind, target))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Parses tokens; throws <see cref="FormatException"/> naming the first bad one.</summary>
    public static CapabilitySet Parse(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var list = new List<Capability>();
        foreach (var token in tokens)
        {
            if (!Capability.TryParse(token, out var capability, out var problem))
            {
                throw new FormatException(problem);
            }
            list.Add(capability!);
        }
        return new CapabilitySet(list);
    }

    public override string ToString() => string.Join(",", _capabilities.Select(c => c.ToString()));
}
