namespace Nexus.Kernel.Extensions;

/// <summary>Matches hosts against allow-list entries: exact names, or <c>*.example.com</c> for subdomains.</summary>
internal sealed class DomainAllowList
{
    private const string WildcardPrefix = "*.";

    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly List<string> _suffixes = [];

    public DomainAllowList(IEnumerable<string> entries)
    {
        foreach (var entry in entries)
        {
            var normalized = Normalize(entry);
            if (normalized.StartsWith(WildcardPrefix, StringComparison.Ordinal))
            {
                _suffixes.Add(normalized[1..]);
            }
            else
            {
                _exact.Add(normalized);
            }
        }
    }

    /// <summary>Whether a request may go to <paramref name="host"/>: any host when the list is empty.</summary>
    public bool Permits(string host)
    {
        if (_exact.Count == 0 && _suffixes.Count == 0)
        {
            return true;
        }
        var normalized = Normalize(host);
        return _exact.Contains(normalized) || _suffixes.Any(s => normalized.EndsWith(s, StringComparison.Ordinal));
    }

    /// <summary>Whether <paramref name="host"/> is listed by name, not merely matched by a wildcard.</summary>
    public bool ListsExactly(string host) => _exact.Contains(Normalize(host));

    /// <summary>Whether <paramref name="entry"/> is a host name, an IP address or <c>*.</c> and a name.</summary>
    public static bool IsValidEntry(string entry)
    {
        var host = entry.StartsWith(WildcardPrefix, StringComparison.Ordinal) ? entry[WildcardPrefix.Length..] : entry;
        return Uri.CheckHostName(host.Trim('[', ']')) != UriHostNameType.Unknown;
    }

    // Hosts compare case-insensitively; a trailing dot and IPv6 brackets do not change which host is meant.
    private static string Normalize(string host) => host.Trim().Trim('[', ']').TrimEnd('.').ToLowerInvariant();
}
