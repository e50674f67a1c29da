using System.Text.Json;
using Nexus.Kernel.Capabilities;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;
using Nexus.Kernel.Json;
using Nexus.Sandbox;

namespace Nexus.Cli.Commands;

/// <summary><c>nexus handler run</c>: runs (or resumes) one handler in the sandbox and prints its result.</summary>
internal static class HandlerRunCommand
{
    private static readonly HashSet<string> s_options =
    [
        "state", "args", "scope", "capabilities", "extension", "timeout-ms", "memory-mb", "journal", "outcome",
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout)
    {
        var request = BuildRequest(new ArgReader(args, s_options));
        using var executor = new HandlerExecutor();
        var result = await executor.ExecuteAsync(request);
        await stdout.WriteLineAsync(JsonSerializer.Serialize(result, NexusJson.Indented));
        return 0;
    }

    internal static ExecutionRequest BuildRequest(ArgReader reader)
    {
        if (reader.Positional.Count != 1)
        {
            throw new UsageException("handler run needs exactly one handler file");
        }
        var file = reader.Positional[0];
        if (!File.Exists(file))
        {
            throw new UsageException($"handler file '{file}' not found");
        }
        var limits = ExecutionLimits.Default;
        if (reader.GetInt("timeout-ms", 1) is { } timeout)
        {
            limits = limits with { TimeoutMs = timeout };
        }
        if (reader.GetInt("memory-mb", 1, max: 1024) is { } memory)
        {
            limits = limits with { MemoryBytes = memory * 1024L * 1024 };
        }
        return new ExecutionRequest
        {
            PanelId = "cli",
            ToolName = Path.GetFileNameWithoutExtension(file),
            Handler = File.ReadAllText(file),
            State = ReadState(reader.GetJson("state")),
            Args = reader.GetJson("args"),
            Scope = reader.GetJson("scope"),
            Capabilities = ReadCapabilities(reader.Get("capabilities")),
            Extensions = ReadExtensions(reader.GetAll("extension")),
            Journal = ReadJournal(reader.GetJson("journal"), reader.GetJson("outcome")),
            Limits = limits,
        };
    }

    private static Dictionary<string, JsonElement> ReadState(JsonElement? state)
    {
        if (state is null)
        {
            return [];
        }
        if (state.Value.ValueKind != JsonValueKind.Object)
        {
            throw new UsageException("--state must be a JSON object");
        }
        return state.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    private static CapabilitySet? ReadCapabilities(string? text)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            return CapabilitySet.Parse(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--capabilities: {ex.Message}");
        }
    }

    private static ExtensionCatalog ReadExtensions(IReadOnlyList<string> specs)
    {
        if (specs.Count == 0)
        {
            return ExtensionCatalog.HttpOnly;
        }
        var map = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var colon = spec.IndexOf(':', StringComparison.Ordinal);
            var methods = colon > 0
                ? spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [];
            if (colon <= 0 || methods.Length == 0)
            {
                throw new UsageException($"--extension '{spec}' must look like NAME:METHOD,METHOD");
            }
            map[spec[..colon]] = methods;
        }
        return new ExtensionCatalog(map);
    }

    private static Journal? ReadJournal(JsonElement? journalJson, JsonElement? outcomeJson)
    {
        if (journalJson is null)
        {
            if (outcomeJson is not null)
            {
                throw new UsageException("--outcome needs --journal: the journal of the suspended run to resume");
            }
            return null;
        }
        var element = journalJson.Value;
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("journal", out var inner))
        {
            element = inner;
        }
        Journal journal;
        try
        {
            journal = element.Deserialize<Journal>(NexusJson.Options)
                ?? throw new UsageException("--journal is empty");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--journal is not a Nexus journal: {ex.Message}");
        }
        if (outcomeJson is null)
        {
            return journal;
        }
        ExtensionOutcome outcome;
        try
        {
            outcome = outcomeJson.Value.Deserialize<ExtensionOutcome>(NexusJson.Options)
                ?? throw new UsageException("--outcome is empty");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--outcome must look like {{\"success\":true,\"value\":...}}: {ex.Message}");
        }
        if (journal.PendingCall is null)
        {
            throw new UsageException("--journal has no pending extension call for --outcome to resume");
        }
        return journal.WithOutcome(outcome);
    }
}
