using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nexus.Kernel.Json;

/// <summary>The JSON conventions of every Nexus wire format: camelCase names, nulls omitted, enums as strings.</summary>
public static class NexusJson
{
    /// <summary>
    /// How deeply a value from a handler may nest. Well under System.Text.Json's default of 64, so a result, journal
    /// or entity state that wraps such values a few levels deeper still serializes everywhere.
    /// </summary>
    public const int MaxValueDepth = 32;

    /// <summary>Options for reading and writing Nexus contracts.</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>The same options, indented, for people to read.</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    /// <summary>A JSON <c>null</c>, for payloads that carry nothing.</summary>
    public static JsonElement Null { get; } = Parse("null");

    /// <summary>An empty JSON object.</summary>
    public static JsonElement EmptyObject { get; } = Parse("{}");

    /// <summary>Parses JSON text into a detached element.</summary>
    public static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>Parses UTF-8 JSON into a detached element.</summary>
    public static JsonElement Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>Parses a value that crossed the sandbox boundary, refusing nesting deeper than <see cref="MaxValueDepth"/>.</summary>
    public static JsonElement ParseValue(ReadOnlySpan<byte> utf8, int extraDepth = 0)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxValueDepth + extraDepth });
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>Parses a value that crossed the sandbox boundary, refusing nesting deeper than <see cref="MaxValueDepth"/>.</summary>
    public static JsonElement ParseValue(string json) => ParseValue(System.Text.Encoding.UTF8.GetBytes(json));

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            MaxDepth = 128,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
