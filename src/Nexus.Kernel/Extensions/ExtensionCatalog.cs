using System.Collections.Frozen;

namespace Nexus.Kernel.Extensions;

/// <summary>Which extensions exist and which methods each has: what <c>$ext</c> can reach.</summary>
public sealed class ExtensionCatalog
{
    private readonly FrozenDictionary<string, string[]> _methods;

    public ExtensionCatalog(IReadOnlyDictionary<string, IReadOnlyCollection<string>> methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        _methods = methods.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The methods of the built-in <c>http</c> extension.</summary>
    public static IReadOnlyCollection<string> HttpMethods { get; } =
        ["get", "delete", "head", "options", "post", "put", "patch", "request"];

    /// <summary>No extensions at all.</summary>
    public static ExtensionCatalog Empty { get; } = new(new Dictionary<string, IReadOnlyCollection<string>>());

    /// <summary>The built-in <c>http</c> extension alone.</summary>
    public static ExtensionCatalog HttpOnly { get; } = new(new Dictionary<string, IReadOnlyCollection<string>>
    {
        ["http"] = HttpMethods,
    });

    /// <summary>Extension names with their methods.</summary>
    public IReadOnlyDictionary<string, string[]> Methods => _methods;

    /// <summary>Whether <paramref name="extension"/> is registered.</summary>
    public bool Has(string extension) => _methods.ContainsKey(extension);

    /// <summary>Whether <paramref name="extension"/> has <paramref name="method"/>.</summary>
    public bool Has(string extension, string method) =>
        _methods.TryGetValue(extension, out var m) && Array.IndexOf(m, method) >= 0;
}
