using System.Globalization;

namespace Nexus.Server.Configuration;

/// <summary>Reads typed settings from environment variables; a bad value names its variable.</summary>
public sealed class EnvironmentReader(Func<string, string?> lookup)
{
    /// <summary>Reads the process environment.</summary>
    public static EnvironmentReader Process { get; } = new(Environment.GetEnvironmentVariable);

    public string? Text(string name) => lookup(name) is { } v && v.Trim().Length > 0 ? v.Trim() : null;

    public int Int(string name, int fallback, int min, int max = int.MaxValue)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ConfigurationException(name, $"must be a whole number from {min} to {max}, got '{text}'");
        }
        return value;
    }

    public IReadOnlyList<string> List(string name, IReadOnlyList<string> fallback) =>
        Text(name) is { } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : fallback;

    /// <summary>A size such as <c>1mb</c>, <c>512kb</c> or <c>2048</c> (bytes).</summary>
    public long Size(string name, long fallback)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }
        var lower = text.ToLowerInvariant();
        var (digits, unit) = lower.EndsWith("mb", StringComparison.Ordinal) ? (lower[..^2], 1024L * 1024)
            : lower.EndsWith("kb", StringComparison.Ordinal) ? (lower[..^2], 1024L)
            : lower.EndsWith('b') ? (lower[..^1], 1L)
            : (lower, 1L);
        if (!long.TryParse(digits.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            throw new ConfigurationException(name, $"must be a size such as 1mb, 100kb or 2048, got '{text}'");
        }
        return n * unit;
    }

    public string OneOf(string name, string fallback, params string[] allowed)
    {
        var text = Text(name)?.ToLowerInvariant();
        if (text is null)
        {
            return fallback;
        }
        if (!allowed.Contains(text))
        {
            throw new ConfigurationException(name, $"must be one of {string.Join(", ", allowed)}, got '{text}'");
        }
        return text;
    }
}

/// <summary>A setting is invalid; the server does not start.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string variable, string problem)
        : base($"Invalid configuration: {variable} {problem}")
    {
    }

    /// <summary>For a message that already names its variable.</summary>
    public ConfigurationException(string message)
        : base($"Invalid configuration: {message}")
    {
    }
}
