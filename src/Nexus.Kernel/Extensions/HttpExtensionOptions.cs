using System.Globalization;

namespace Nexus.Kernel.Extensions;

/// <summary>The limits and network policy of the built-in <c>http</c> extension.</summary>
public sealed record HttpExtensionOptions
{
    /// <summary>Requests in flight at once (<c>HTTP_MAX_CONCURRENT</c>).</summary>
    public int MaxConcurrent
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(MaxConcurrent));
            field = value;
        }
    } = 10;

    /// <summary>Requests that may wait for a slot; beyond this a request fails at once instead of piling up.</summary>
    public int MaxQueued
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxQueued));
            field = value;
        }
    } = 100;

    /// <summary>
    /// How long a request may take when the caller sets no timeout (<c>HTTP_TIMEOUT</c>), in milliseconds. It covers
    /// the whole call: waiting for a slot, every redirect and reading the body.
    /// </summary>
    public int DefaultTimeoutMs
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(DefaultTimeoutMs));
            field = value;
        }
    } = 25_000;

    /// <summary>The largest response body read, in bytes (after decompression); a larger one is an error.</summary>
    public long MaxResponseBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(MaxResponseBytes));
            field = value;
        }
    } = 5 * 1024 * 1024;

    /// <summary>Redirects followed per request; each hop is checked like the first request.</summary>
    public int MaxRedirects
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxRedirects));
            field = value;
        }
    } = 5;

    /// <summary>
    /// Hosts requests may go to (<c>HTTP_ALLOWED_DOMAINS</c>): exact names, or <c>*.example.com</c> for any subdomain
    /// of example.com (not example.com itself). Empty allows any host. Exactly listed hosts may also resolve to
    /// addresses <see cref="BlockPrivateAddresses"/> would refuse.
    /// </summary>
    public IReadOnlyList<string> AllowedDomains
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(AllowedDomains));
            if (value.FirstOrDefault(e => !DomainAllowList.IsValidEntry(e)) is { } bad)
            {
                throw new ArgumentException(
                    $"{nameof(AllowedDomains)} entry '{bad}' is not a host name or a *.domain wildcard");
            }
            field = [.. value];
        }
    } = [];

    /// <summary>
    /// Whether requests to loopback, private, link-local, unspecified and carrier-grade NAT addresses are refused,
    /// so that handlers cannot reach the host's own network or cloud metadata endpoints.
    /// </summary>
    public bool BlockPrivateAddresses { get; init; } = true;

    /// <summary>
    /// Reads <c>HTTP_MAX_CONCURRENT</c>, <c>HTTP_TIMEOUT</c> and <c>HTTP_ALLOWED_DOMAINS</c> (comma-separated) through
    /// <paramref name="variables"/>, for example <see cref="Environment.GetEnvironmentVariable(string)"/>; unset or
    /// blank variables keep their defaults.
    /// </summary>
    /// <exception cref="ArgumentException">A variable has a bad value; the message names it.</exception>
    public static HttpExtensionOptions FromEnvironment(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var defaults = new HttpExtensionOptions();
        return defaults with
        {
            MaxConcurrent = ReadPositive(variables, "HTTP_MAX_CONCURRENT", "a positive whole number")
                ?? defaults.MaxConcurrent,
            DefaultTimeoutMs = ReadPositive(variables, "HTTP_TIMEOUT", "a positive whole number of milliseconds")
                ?? defaults.DefaultTimeoutMs,
            AllowedDomains = ReadDomains(variables, "HTTP_ALLOWED_DOMAINS"),
        };
    }

    private static int? ReadPositive(Func<string, string?> variables, string name, string expected)
    {
        var raw = variables(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        return int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be {expected}, got '{raw}'");
    }

    private static string[] ReadDomains(Func<string, string?> variables, string name)
    {
        var raw = variables(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return [];
        }
        var entries = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.FirstOrDefault(e => !DomainAllowList.IsValidEntry(e)) is { } bad)
        {
            throw new ArgumentException($"{name} entry '{bad}' is not a host name or a *.domain wildcard");
        }
        return entries;
    }
}
