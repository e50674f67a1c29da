using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nexus.Cli.Client;
using Nexus.Kernel.Json;

namespace Nexus.Cli.Commands;

/// <summary><c>nexus panels create|list|get|state|delete|trigger</c>: manages panels through a Nexus server's HTTP API.</summary>
internal static class PanelsCommand
{
    public const string DefaultServer = "http://localhost:3000";
    private const int DefaultWaitMs = 60_000;
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(200);

    // A run that has not finished is "running", or "suspended" while one of its extension calls is outstanding.
    private static readonly HashSet<string> s_unfinished = ["running", "suspended"];

    // A terminal is not a web page: print quotes, '<' and non-ASCII text as they are rather than as \u escapes.
    private static readonly JsonSerializerOptions s_output =
        new(NexusJson.Indented) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Dictionary<string, Verb> s_verbs = new(StringComparer.Ordinal)
    {
        ["create"] = new(["<definition.json|@file|->"], [], []),
        ["list"] = new([], ["top", "continuation"], []),
        ["get"] = new(["<id>"], [], []),
        ["state"] = new(["<id>"], [], []),
        ["delete"] = new(["<id>"], [], []),
        ["trigger"] = new(["<id>", "<tool>"], ["args", "wait-ms"], ["wait"]),
    };

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, Func<string, string?> environment)
    {
        var verbs = string.Join(", ", s_verbs.Keys);
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"panels needs a verb before its options: {verbs}");
        }
        if (!s_verbs.TryGetValue(args[0], out var verb))
        {
            throw new UsageException($"unknown panels verb '{args[0]}'; use one of {verbs}");
        }
        var reader = new ArgReader(args.Skip(1), verb.Options.Append("server").ToHashSet(), verb.Flags.ToHashSet());
        if (reader.Positional.Count != verb.Arguments.Length)
        {
            throw new UsageException($"panels {args[0]} takes {string.Join(' ', verb.Arguments.DefaultIfEmpty("no arguments"))}");
        }
        var p = reader.Positional;
        using var client = new NexusServerClient(ServerAddress(reader.Get("server"), environment));
        var answer = args[0] switch
        {
            "create" => await client.CreatePanelAsync(ReadDefinition(p[0], stdin)),
            "list" => await client.ListPanelsAsync(reader.GetInt("top", 1), reader.Get("continuation")),
            "get" => await client.GetPanelAsync(p[0]),
            "state" => await client.GetStateAsync(p[0]),
            "delete" => await client.DeletePanelAsync(p[0]),
            _ => await TriggerAsync(client, reader, p[0], p[1]),
        };
        if (answer.Body is { } body)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(body, s_output));
        }
        return 0;
    }

    /// <summary>The server to talk to: <c>--server</c>, else <c>NEXUS_SERVER</c>, else <see cref="DefaultServer"/>.</summary>
    internal static Uri ServerAddress(string? option, Func<string, string?> environment)
    {
        var (text, source) = option is not null ? (option, "--server")
            : environment("NEXUS_SERVER") is { Length: > 0 } variable ? (variable, "NEXUS_SERVER")
            : (DefaultServer, "the default server");
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"{source} must be an http(s) URL such as {DefaultServer}, got '{text}'");
    }

    private static JsonElement ReadDefinition(string source, TextReader stdin)
    {
        const string What = "the panel definition";
        var text = source == "-" ? stdin.ReadToEnd() : ArgReader.ReadFile(What, source.StartsWith('@') ? source[1..] : source);
        return ArgReader.ParseJson(What, text);
    }

    private static async Task<ServerAnswer> TriggerAsync(NexusServerClient client, ArgReader reader, string id, string tool)
    {
        var waitMs = reader.GetInt("wait-ms", 0);
        if (waitMs is not null && !reader.Has("wait"))
        {
            throw new UsageException("--wait-ms only makes sense with --wait");
        }
        var answer = await client.TriggerAsync(id, tool, reader.GetJson("args"));
        // Only a 202 (the run outlived the server's own wait) carries a Location; a 200 already holds the result.
        return reader.Has("wait") && answer.Location is { } location
            ? await WaitForRunAsync(client, location, waitMs ?? DefaultWaitMs)
            : answer;
    }

    private static async Task<ServerAnswer> WaitForRunAsync(NexusServerClient client, Uri location, int waitMs)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await client.GetRunAsync(location);
            var status = answer.Body?.Deserialize<RunAnswer>(NexusJson.Options)?.Status;
            if (status is null || !s_unfinished.Contains(status))
            {
                return answer;
            }
            if (clock.ElapsedMilliseconds >= waitMs)
            {
                throw new CommandFailedException(
                    $"the run is still {status} after {waitMs} ms; follow it with GET {location.OriginalString}");
            }
            await Task.Delay(s_pollInterval);
        }
    }

    /// <summary>What a verb accepts: its positional arguments (named for the usage message), options and flags.</summary>
    private sealed record Verb(string[] Arguments, string[] Options, string[] Flags);
}
