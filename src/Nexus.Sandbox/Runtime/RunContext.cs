using System.Buffers;
using System.Text;
using System.Text.Json;
using Nexus.Kernel.Capabilities;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Json;

namespace Nexus.Sandbox.Runtime;

/// <summary>
/// The host side of one run: answers the prelude's host calls, enforces capabilities and per-run limits, records the
/// journal (or replays it), and collects the effects.
/// </summary>
internal sealed class RunContext
{
    private static readonly byte[] s_true = "1"u8.ToArray();
    private static readonly byte[] s_false = "0"u8.ToArray();
    private static readonly byte[] s_pending = """{"s":"pending"}"""u8.ToArray();

    private readonly ExecutionRequest _request;
    private readonly ExecutionLimits _limits;
    private readonly CapabilitySet _capabilities;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<JournalEntry> _recorded;
    private readonly List<JournalEntry> _entries;
    private readonly Dictionary<string, JsonElement?> _written = new(StringComparer.Ordinal);
    private int _position;
    private long _resultBytes;

    public RunContext(ExecutionRequest request, CapabilitySet capabilities, TimeProvider time)
    {
        _request = request;
        _limits = request.Limits;
        _capabilities = capabilities;
        _time = time;
        var journal = request.Journal;
        ExecutionId = journal?.ExecutionId ?? request.ExecutionId ?? Guid.NewGuid().ToString("N");
        Seed = journal?.Seed ?? (uint)Random.Shared.Next();
        StartedAt = journal?.StartedAt ?? time.GetUtcNow().ToUnixTimeMilliseconds();
        Reported = journal?.Reported ?? EffectCounts.None;
        PastSuspensions = journal?.Suspensions ?? 0;
        _recorded = journal?.Entries ?? [];
        _entries = [.. _recorded];
    }

    public string ExecutionId { get; }
    public uint Seed { get; }
    public long StartedAt { get; }
    public EffectCounts Reported { get; }
    public int PastSuspensions { get; }
    public List<StateMutation> Mutations { get; } = [];
    public List<EmittedEvent> Events { get; } = [];
    public List<ViewCommand> ViewCommands { get; } = [];
    public List<LogEntry> Logs { get; } = [];
    public int HostCalls { get; private set; }

    /// <summary>Set when a host call ended the run (a limit, nondeterminism); wins over anything the guest says.</summary>
    public ExecutionError? Fatal { get; private set; }

    /// <summary>The first extension call of this run that has no outcome yet.</summary>
    public SuspensionDetails? Suspension { get; private set; }

    /// <summary>The guest's linear memory, set once the instance exists.</summary>
    public Wasmtime.Memory? Memory { get; set; }

    /// <summary>The answer to the last host call, collected by the guest through <c>host_result</c>.</summary>
    public byte[] Answer { get; private set; } = [];

    /// <summary>Whether every recorded call was replayed (a finished run that replayed less took another path).</summary>
    public bool ReplayComplete => _position >= _recorded.Count;

    public IReadOnlyList<JournalEntry> JournalEntries => _entries;

    /// <summary>Handles one host call; the return value is the answer's length, or -(length+1) for a refusal.</summary>
    public int OnHostCall(int op, int ptr, int len)
    {
        try
        {
            if (Fatal is not null)
            {
                throw new RunAbortedException(Fatal);
            }
            if (++HostCalls > _limits.MaxHostCalls)
            {
                throw Limit("host calls", HostCalls, _limits.MaxHostCalls);
            }
            var payload = len == 0 ? ReadOnlySpan<byte>.Empty : Memory!.GetSpan(ptr, len);
            if (payload.Length > _limits.MaxValueBytes)
            {
                throw Limit("value size in bytes", payload.Length, _limits.MaxValueBytes);
            }
            Answer = Dispatch((HostOp)op, payload);
            return Answer.Length;
        }
        catch (HostRefusal refusal)
        {
            return Refuse(refusal.Code, refusal.Message);
        }
        catch (JsonException ex)
        {
            // A value the host will not read (nested deeper than NexusJson.MaxValueDepth) is the handler's to catch.
            return Refuse(ErrorCodes.SerializationError, $"The value cannot be passed to the host as JSON: {ex.Message}");
        }
        catch (RunAbortedException aborted)
        {
            Fatal ??= aborted.Error;
            throw;
        }
    }

    private int Refuse(string code, string message)
    {
        Answer = Encoding.UTF8.GetBytes($"{code}\n{message}");
        return -(Answer.Length + 1);
    }

    /// <summary>Counts the return value against the result size limit.</summary>
    public void CountResultBytes(int bytes)
    {
        _resultBytes += bytes;
        if (_resultBytes > _limits.MaxResultBytes)
        {
            Fatal ??= Limit("result size in bytes", _resultBytes, _limits.MaxResultBytes).Error;
        }
    }

    private byte[] Dispatch(HostOp op, ReadOnlySpan<byte> payload) => op switch
    {
        HostOp.Init => Init(),
        HostOp.StateGet => StateGet(Utf8(payload)),
        HostOp.StateSet => StateSet(payload),
        HostOp.StateDelete => StateDelete(Utf8(payload)),
        HostOp.StateHas => StateHas(Utf8(payload)),
        HostOp.StateKeys => StateKeys(),
        HostOp.Emit => Emit(payload),
        HostOp.View => View(payload),
        HostOp.Log => Log(Utf8(payload)),
        HostOp.Now => Now(),
        HostOp.Extension => Extension(payload),
        _ => throw new RunAbortedException(new ExecutionError(ErrorCodes.InternalError, $"Unknown host call {(int)op}.")),
    };

    private byte[] Init()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("args");
            (_request.Args ?? NexusJson.EmptyObject).WriteTo(w);
            w.WritePropertyName("scope");
            (_request.Scope ?? NexusJson.EmptyObject).WriteTo(w);
            w.WriteNumber("seed", Seed);
            w.WriteStartObject("extensions");
            foreach (var (name, methods) in _request.Extensions.Methods)
            {
                w.WriteStartArray(name);
                foreach (var m in methods)
                {
                    w.WriteStringValue(m);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private byte[] StateGet(string key)
    {
        Require(CapabilityKind.StateRead, key, $"$state.get('{key}')");
        var value = Replay(JournalOps.StateGet, key) is { } entry ? entry.Value : Record(JournalOps.StateGet, key, Lookup(key));
        return value is { } v ? Encoding.UTF8.GetBytes(v.GetRawText()) : [];
    }

    private byte[] StateHas(string key)
    {
        Require(CapabilityKind.StateRead, key, $"$state.has('{key}')");
        var has = Replay(JournalOps.StateHas, key) is { } entry
            ? entry.Value?.GetBoolean() == true
            : Record(JournalOps.StateHas, key, Bool(Lookup(key) is not null))?.GetBoolean() == true;
        return has ? s_true : s_false;
    }

    private byte[] StateKeys()
    {
        Require(CapabilityKind.StateRead, Capability.Wildcard, "$state.keys()");
        var keys = Replay(JournalOps.StateKeys, null) is { } entry ? entry.Value : Record(JournalOps.StateKeys, null, CurrentKeys());
        return Encoding.UTF8.GetBytes(keys?.GetRawText() ?? "[]");
    }

    private byte[] StateSet(ReadOnlySpan<byte> payload)
    {
        var (key, value) = SplitKeyValue(payload);
        Require(CapabilityKind.StateWrite, key, $"$state.set('{key}')");
        CountEffect(Mutations.Count, _limits.MaxMutations, "state mutations", payload.Length);
        ReplayOrRecord(JournalOps.StateSet, key);
        AddMutation(StateMutation.Set(key, value));
        return [];
    }

    private byte[] StateDelete(string key)
    {
        Require(CapabilityKind.StateWrite, key, $"$state.delete('{key}')");
        CountEffect(Mutations.Count, _limits.MaxMutations, "state mutations", key.Length);
        var existed = Replay(JournalOps.StateDelete, key) is { } entry
            ? entry.Value?.GetBoolean() == true
            : Record(JournalOps.StateDelete, key, Bool(Lookup(key) is not null))?.GetBoolean() == true;
        AddMutation(StateMutation.Delete(key));
        return existed ? s_true : s_false;
    }

    private byte[] Emit(ReadOnlySpan<byte> payload)
    {
        var (name, value) = SplitKeyValue(payload);
        Require(CapabilityKind.EventsEmit, name, $"$emit('{name}')");
        CountEffect(Events.Count, _limits.MaxEvents, "events", payload.Length);
        ReplayOrRecord(JournalOps.Emit, name);
        Events.Add(new EmittedEvent(name, value, Clock()));
        return [];
    }

    private byte[] View(ReadOnlySpan<byte> payload)
    {
        using var doc = JsonDocument.Parse(GuestJson.Sanitize(payload).ToArray(),
            new JsonDocumentOptions { MaxDepth = NexusJson.MaxValueDepth + 1 });
        var root = doc.RootElement;
        var id = root[0].ValueKind == JsonValueKind.String ? root[0].GetString() : null;
        var command = root[1].GetString() ?? "";
        Require(CapabilityKind.ViewUpdate, id ?? Capability.Wildcard, $"$view.{command}({(id is null ? "" : $"'{id}'")})");
        CountEffect(ViewCommands.Count, _limits.MaxViewCommands, "view commands", payload.Length);
        ReplayOrRecord(JournalOps.View, $"{id}/{command}");
        ViewCommands.Add(new ViewCommand(id, command, root[2].Clone()));
        return [];
    }

    private byte[] Log(string payload)
    {
        const int MaxLine = 8 * 1024;
        var split = payload.IndexOf('\n', StringComparison.Ordinal);
        var level = payload[..split];
        var message = payload[(split + 1)..];
        if (message.Length > MaxLine)
        {
            message = string.Concat(message.AsSpan(0, MaxLine), $"... ({message.Length - MaxLine} more characters)");
        }
        if (Logs.Count < _limits.MaxLogs)
        {
            Logs.Add(new LogEntry(level, message, Clock()));
        }
        else if (Logs.Count == _limits.MaxLogs)
        {
            Logs.Add(new LogEntry("warn", $"Log limit of {_limits.MaxLogs} lines reached; further lines dropped.", Clock()));
        }
        return [];
    }

    private byte[] Now()
    {
        var value = Replay(JournalOps.Time, null) is { } entry
            ? entry.Value
            : Record(JournalOps.Time, null, NexusJson.Parse(Clock().ToString()));
        return Encoding.UTF8.GetBytes(value?.GetRawText() ?? "0");
    }

    private byte[] Extension(ReadOnlySpan<byte> payload)
    {
        using var doc = JsonDocument.Parse(GuestJson.Sanitize(payload).ToArray(),
            new JsonDocumentOptions { MaxDepth = NexusJson.MaxValueDepth + 1 });
        var extension = doc.RootElement[0].GetString() ?? "";
        var method = doc.RootElement[1].GetString() ?? "";
        var args = doc.RootElement[2].Clone();
        var key = $"{extension}.{method}";
        ExtensionOutcome? immediate = null;
        if (!_request.Extensions.Has(extension))
        {
            immediate = ExtensionOutcome.Fail($"Extension '{extension}' not found", ErrorCodes.ExtensionNotFound);
        }
        else if (!_request.Extensions.Has(extension, method))
        {
            immediate = ExtensionOutcome.Fail(
                $"Method '{method}' not found on extension '{extension}'", ErrorCodes.MethodNotFound);
        }
        else
        {
            Require(CapabilityKind.Extension, extension, $"$ext.{key}()");
        }

        var entry = Replay(JournalOps.Extension, key, args);
        if (entry is null)
        {
            entry = new JournalEntry(JournalOps.Extension, key, Args: args,
                SuspensionId: immediate is null ? Guid.NewGuid().ToString() : null, Outcome: immediate);
            _entries.Add(entry);
        }
        if (entry.Outcome is null)
        {
            Suspension ??= new SuspensionDetails(entry.SuspensionId!, extension, method, args);
            return s_pending;
        }
        return EncodeOutcome(entry.Outcome);
    }

    private static byte[] EncodeOutcome(ExtensionOutcome outcome)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (outcome.Success)
            {
                w.WriteString("s", "ok");
                w.WritePropertyName("v");
                (outcome.Value ?? NexusJson.Null).WriteTo(w);
            }
            else
            {
                w.WriteString("s", "err");
                w.WriteString("e", outcome.Error ?? "Extension call failed");
                w.WriteString("c", outcome.Code ?? ErrorCodes.ExtensionError);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The next recorded entry, checked against this call; null once the run has gone past its journal.</summary>
    private JournalEntry? Replay(string op, string? key, JsonElement? args = null)
    {
        if (_position >= _recorded.Count)
        {
            return null;
        }
        var entry = _recorded[_position];
        var sameArgs = args is not { } a || entry.Args is not { } b || JsonElement.DeepEquals(a, b);
        if (entry.Op != op || entry.Key != key || !sameArgs)
        {
            var now = sameArgs ? Describe(op, key) : $"{Describe(op, key)} with different arguments";
            throw new RunAbortedException(new ExecutionError(ErrorCodes.Nondeterminism,
                $"The handler took a different path when resumed: host call #{_position + 1} was " +
                $"{Describe(entry.Op, entry.Key)} in the recorded run but is {now} now. Handlers must " +
                "be deterministic: read time with $time.now() or Date, randomness with Math.random(), and do not " +
                "change a tool's handler while runs of it are suspended."));
        }
        _position++;
        return entry;
    }

    private void ReplayOrRecord(string op, string key)
    {
        if (Replay(op, key) is null)
        {
            _entries.Add(new JournalEntry(op, key));
        }
    }

    private JsonElement? Record(string op, string? key, JsonElement? value)
    {
        _entries.Add(new JournalEntry(op, key, value));
        return value;
    }

    private static string Describe(string op, string? key) => key is null ? op : $"{op}('{key}')";

    /// <summary>Reads a key: this run's own unreported writes first, then the panel state it was given.</summary>
    private JsonElement? Lookup(string key)
    {
        if (_written.TryGetValue(key, out var written))
        {
            return written;
        }
        return _request.State.TryGetValue(key, out var value) ? value : null;
    }

    private JsonElement CurrentKeys()
    {
        var keys = new List<string>();
        foreach (var key in _request.State.Keys)
        {
            if (!_written.TryGetValue(key, out var w) || w is not null)
            {
                keys.Add(key);
            }
        }
        foreach (var (key, value) in _written)
        {
            if (value is not null && !_request.State.ContainsKey(key))
            {
                keys.Add(key);
            }
        }
        return JsonSerializer.SerializeToElement(keys);
    }

    /// <summary>
    /// Records a mutation. Mutations reported before a suspension are already in the state this run was given, so
    /// only later ones shadow it: that is how a resumed run reads the panel's current state.
    /// </summary>
    private void AddMutation(StateMutation mutation)
    {
        if (Mutations.Count >= Reported.Mutations)
        {
            _written[mutation.Key] = mutation.Op == StateMutation.SetOp ? mutation.Value : null;
        }
        Mutations.Add(mutation);
    }

    private void Require(CapabilityKind kind, string target, string operation)
    {
        if (!_capabilities.Allows(kind, target))
        {
            throw new HostRefusal(ErrorCodes.PermissionDenied,
                $"Permission denied: {operation} requires capability '{Capability.Format(kind, target)}'");
        }
    }

    private void CountEffect(int count, int limit, string what, int bytes)
    {
        if (count >= limit)
        {
            throw Limit(what, count + 1, limit);
        }
        CountResultBytes(bytes);
        if (Fatal is not null)
        {
            throw new RunAbortedException(Fatal);
        }
    }

    private static RunAbortedException Limit(string what, long used, long limit) =>
        new(new ExecutionError(ErrorCodes.ResourceLimit,
            $"Resource limit exceeded: {what} (used: {used}, limit: {limit})"));

    private long Clock() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static readonly JsonElement s_jsonTrue = NexusJson.Parse("true");
    private static readonly JsonElement s_jsonFalse = NexusJson.Parse("false");

    private static JsonElement Bool(bool value) => value ? s_jsonTrue : s_jsonFalse;

    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>Splits the prelude's <c>"key"\nvalue</c> payload into its JSON-string key and its JSON value.</summary>
    private static (string Key, JsonElement Value) SplitKeyValue(ReadOnlySpan<byte> payload)
    {
        payload = GuestJson.Sanitize(payload);
        var split = payload.IndexOf((byte)'\n');
        var key = JsonSerializer.Deserialize<string>(payload[..split]) ?? "";
        return (key, NexusJson.ParseValue(payload[(split + 1)..]));
    }

    /// <summary>A host call refused in a way the handler can catch.</summary>
    private sealed class HostRefusal(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}
