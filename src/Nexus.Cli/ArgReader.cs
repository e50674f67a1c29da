using System.Text.Json;
using Nexus.Kernel.Json;

namespace Nexus.Cli;

/// <summary>Reads <c>--name value</c> options, <c>--flag</c> switches and positional arguments, in any order.</summary>
internal sealed class ArgReader
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public ArgReader(IEnumerable<string> args, IReadOnlySet<string> known, IReadOnlySet<string>? flags = null)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                _positional.Add(arg);
                continue;
            }
            var (name, inline) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
                ? (arg[2..eq], arg[(eq + 1)..])
                : (arg[2..], null);
            if (flags?.Contains(name) == true)
            {
                _flags.Add(inline is null ? name : throw new UsageException($"--{name} takes no value"));
                continue;
            }
            if (!known.Contains(name))
            {
                throw new UsageException($"unknown option --{name}");
            }
            var value = inline ?? (e.MoveNext() ? e.Current : throw new UsageException($"--{name} needs a value"));
            if (!_options.TryGetValue(name, out var list))
            {
                _options[name] = list = [];
            }
            list.Add(value);
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    public string? Get(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;

    public bool Has(string flag) => _flags.Contains(flag);

    public IReadOnlyList<string> GetAll(string name) => _options.TryGetValue(name, out var v) ? v : [];

    public int? GetInt(string name, int min, int max = int.MaxValue)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, out var value) || value < min || value > max)
        {
            throw new UsageException(max == int.MaxValue
                ? $"--{name} must be a whole number of at least {min}, got '{text}'"
                : $"--{name} must be a whole number from {min} to {max}, got '{text}'");
        }
        return value;
    }

    /// <summary>A JSON option given inline or as <c>@file</c>.</summary>
    public JsonElement? GetJson(string name) => Get(name) is { } text
        ? ParseJson($"--{name}", text.StartsWith('@') ? ReadFile($"--{name}", text[1..]) : text)
        : null;

    /// <summary>A file's text; <paramref name="what"/> names the argument in the error when it is missing.</summary>
    public static string ReadFile(string what, string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new UsageException($"{what}: file '{path}' not found");

    /// <summary>Parses JSON; <paramref name="what"/> names the argument in the error when it is not JSON.</summary>
    public static JsonElement ParseJson(string what, string text)
    {
        try
        {
            return NexusJson.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{what} is not valid JSON: {ex.Message}");
        }
    }
}
