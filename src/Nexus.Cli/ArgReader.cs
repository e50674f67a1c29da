using System.Text.Json;
using Nexus.Kernel.Json;

namespace Nexus.Cli;

/// <summary>Reads <c>--name value</c> options and positional arguments, in any order.</summary>
internal sealed class ArgReader
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public ArgReader(IEnumerable<string> args, IReadOnlySet<string> known)
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
    public JsonElement? GetJson(string name)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }
        if (text.StartsWith('@'))
        {
            var path = text[1..];
            if (!File.Exists(path))
            {
                throw new UsageException($"--{name}: file '{path}' not found");
            }
            text = File.ReadAllText(path);
        }
        try
        {
            return NexusJson.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--{name} is not valid JSON: {ex.Message}");
        }
    }
}
