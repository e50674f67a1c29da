using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nexus.Kernel.Capabilities;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Handlers;
using Nexus.Kernel.Json;
using Nexus.Sandbox.Engine;
using Nexus.Sandbox.Runtime;
using Wasmtime;

namespace Nexus.Sandbox;

/// <summary>
/// Runs handlers in the WebAssembly sandbox: a fresh QuickJS instance per run, at most
/// <see cref="SandboxOptions.MaxInstances"/> at once, with capabilities and limits enforced and suspension by
/// record/replay of the run's journal.
/// </summary>
public sealed partial class HandlerExecutor : IHandlerExecutor, IDisposable
{
    private static readonly byte[] s_outcomeScript = "__nexus_outcome()"u8.ToArray();
    private static readonly byte[] s_wrapperPrefix = Encoding.UTF8.GetBytes(GuestErrors.WrapperPrefix);
    private static readonly byte[] s_wrapperSuffix = "\n});"u8.ToArray();

    private readonly QuickJsEngine _engine;
    private readonly bool _ownsEngine;
    private readonly SemaphoreSlim _slots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _totalRuns;
    private long _failedRuns;
    private long _cacheHits;
    private long _totalTimeUs;
    private long _peakTimeUs;
    private long _totalMemory;
    private long _peakMemory;
    private int _active;
    private int _queued;

    /// <summary>Creates an executor with its own engine.</summary>
    public HandlerExecutor(SandboxOptions? options = null, ILogger<HandlerExecutor>? logger = null, TimeProvider? time = null)
        : this(new QuickJsEngine(options ?? new SandboxOptions()), logger, time, ownsEngine: true)
    {
    }

    /// <summary>Creates an executor over a shared engine.</summary>
    public HandlerExecutor(QuickJsEngine engine, ILogger<HandlerExecutor>? logger = null, TimeProvider? time = null)
        : this(engine, logger, time, ownsEngine: false)
    {
    }

    private HandlerExecutor(QuickJsEngine engine, ILogger? logger, TimeProvider? time, bool ownsEngine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _ownsEngine = ownsEngine;
        _slots = new SemaphoreSlim(engine.Options.MaxInstances, engine.Options.MaxInstances);
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The engine this executor runs on.</summary>
    public QuickJsEngine Engine => _engine;

    /// <inheritdoc/>
    public async Task<ExecutionResult> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _queued);
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
        Interlocked.Increment(ref _active);
        try
        {
            var result = Execute(request);
            Record(result);
            LogResult(request, result);
            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            _slots.Release();
        }
    }

    /// <summary>Current counters.</summary>
    public SandboxStats GetStats()
    {
        var runs = Interlocked.Read(ref _totalRuns);
        var active = Volatile.Read(ref _active);
        var max = _engine.Options.MaxInstances;
        return new SandboxStats(
            runs,
            Interlocked.Read(ref _failedRuns),
            active,
            max - active,
            max,
            Volatile.Read(ref _queued),
            runs == 0 ? 0 : (double)Interlocked.Read(ref _cacheHits) / runs,
            runs == 0 ? 0 : (double)Interlocked.Read(ref _totalTimeUs) / runs,
            Interlocked.Read(ref _peakTimeUs),
            runs == 0 ? 0 : (double)Interlocked.Read(ref _totalMemory) / runs,
            Interlocked.Read(ref _peakMemory),
            _engine.LoadInfo.FromDiskCache,
            _engine.LoadInfo.LoadTime.TotalMilliseconds);
    }

    public void Dispose()
    {
        _slots.Dispose();
        if (_ownsEngine)
        {
            _engine.Dispose();
        }
    }

    private ExecutionResult Execute(ExecutionRequest request)
    {
        var watch = Stopwatch.StartNew();
        var limits = request.Limits;
        var handlerBytes = Encoding.UTF8.GetByteCount(request.Handler);
        if (handlerBytes > limits.MaxHandlerBytes)
        {
            return ExecutionResult.FailedBeforeRunning(request, new ExecutionError(ErrorCodes.ResourceLimit,
                $"Resource limit exceeded: handler source size in bytes (used: {handlerBytes}, limit: {limits.MaxHandlerBytes})"));
        }
        var analysis = HandlerAnalyzer.Analyze(request.Handler, out var cacheHit);
        if (analysis.SyntaxError is { } syntaxError)
        {
            return ExecutionResult.FailedBeforeRunning(request, syntaxError);
        }
        var capabilities = request.Capabilities ?? analysis.InferredCapabilities;
        var run = new RunContext(request, capabilities, _time);

        GuestOutcome? outcome = null;
        ExecutionError? failure = null;
        long heapUsed = 0;
        long heapPeak = 0;
        var heapLimitHit = false;
        try
        {
            using var instance = new SandboxInstance(_engine, run, limits, _engine.Snapshot);
            var (status, output) = instance.Eval(Wrap(request.Handler), "handler");
            if (status == 1)
            {
                failure = GuestErrors.FromCompile(NexusJson.Parse(GuestJson.Sanitize(output)), request.Handler);
            }
            else
            {
                var (_, outcomeJson) = instance.Eval(s_outcomeScript, "outcome");
                outcome = GuestOutcome.Parse(outcomeJson);
            }
            heapUsed = instance.HeapUsed();
            heapPeak = instance.HeapPeak();
            heapLimitHit = instance.HeapLimitHit();
        }
        catch (TrapException trap)
        {
            failure = run.Fatal ?? GuestErrors.FromTrap(trap, limits);
        }
        catch (WasmtimeException ex)
        {
            failure = run.Fatal ?? new ExecutionError(ErrorCodes.WasmError, $"The sandbox failed: {ex.Message}");
        }
        catch (RunAbortedException aborted)
        {
            failure = run.Fatal ?? aborted.Error;
        }

        var metrics = new ExecutionMetrics(
            (long)watch.Elapsed.TotalMicroseconds, heapUsed, heapPeak, run.HostCalls, cacheHit);
        if (failure is null && heapLimitHit && outcome is { Ok: false })
        {
            // QuickJS throws null when it cannot even allocate its out-of-memory error; the refused allocation tells.
            failure = GuestErrors.OutOfMemory(limits);
        }
        return Complete(request, run, outcome, run.Fatal ?? failure, metrics);
    }

    private static ExecutionResult Complete(
        ExecutionRequest request, RunContext run, GuestOutcome? outcome, ExecutionError? failure, ExecutionMetrics metrics)
    {
        JsonElement? returnValue = null;
        if (failure is null && outcome is { Ok: false } failed)
        {
            failure = GuestErrors.FromGuest(failed.Error, request.Handler, request.Limits);
        }
        if (failure is null && run.Suspension is null)
        {
            if (outcome is null)
            {
                failure = new ExecutionError(ErrorCodes.ExecutionError,
                    "The handler is waiting for a promise that can never settle (no extension call is pending).");
            }
            else if (!run.ReplayComplete)
            {
                failure = new ExecutionError(ErrorCodes.Nondeterminism,
                    "The handler finished before replaying all of its recorded host calls: it took a different " +
                    "path when resumed. Handlers must be deterministic.");
            }
            else if (outcome.Value is { } value)
            {
                run.CountResultBytes(value.Length);
                failure = run.Fatal ?? ParseReturnValue(value, out returnValue);
            }
        }

        var reported = run.Reported;
        var logs = Since(run.Logs, reported.Logs);
        if (failure is not null)
        {
            // A failed run applies nothing of its own: only effects reported at earlier suspensions stand.
            return new ExecutionResult
            {
                ExecutionId = run.ExecutionId,
                Status = ExecutionStatus.Error,
                Error = failure,
                Logs = logs,
                Metrics = metrics,
                EffectOffsets = reported,
                Journal = Journal(run, reported, run.PastSuspensions),
            };
        }
        var now = new EffectCounts(run.Mutations.Count, run.Events.Count, run.ViewCommands.Count, run.Logs.Count);
        var suspended = run.Suspension is not null;
        return new ExecutionResult
        {
            ExecutionId = run.ExecutionId,
            Status = suspended ? ExecutionStatus.Suspended : ExecutionStatus.Success,
            ReturnValue = suspended ? null : returnValue,
            StateMutations = Since(run.Mutations, reported.Mutations),
            Events = Since(run.Events, reported.Events),
            ViewCommands = Since(run.ViewCommands, reported.ViewCommands),
            Logs = logs,
            Suspension = run.Suspension,
            Metrics = metrics,
            EffectOffsets = reported,
            Journal = Journal(run, now, run.PastSuspensions + (suspended ? 1 : 0)),
        };
    }

    /// <summary>Reads the returned JSON; a value the host cannot read (nested too deeply) fails the run.</summary>
    private static ExecutionError? ParseReturnValue(string json, out JsonElement? value)
    {
        try
        {
            value = NexusJson.ParseValue(GuestJson.Sanitize(json));
            return null;
        }
        catch (JsonException ex)
        {
            value = null;
            return new ExecutionError(ErrorCodes.SerializationError, $"The return value cannot be read as JSON: {ex.Message}");
        }
    }

    private static Journal Journal(RunContext run, EffectCounts reported, int suspensions) =>
        new(run.ExecutionId, run.Seed, run.StartedAt, run.JournalEntries, reported, suspensions);

    private static List<T> Since<T>(List<T> items, int offset) =>
        offset >= items.Count ? [] : items.GetRange(offset, items.Count - offset);

    private static byte[] Wrap(string handler)
    {
        var body = Encoding.UTF8.GetBytes(handler);
        var source = new byte[s_wrapperPrefix.Length + body.Length + s_wrapperSuffix.Length];
        s_wrapperPrefix.CopyTo(source, 0);
        body.CopyTo(source, s_wrapperPrefix.Length);
        s_wrapperSuffix.CopyTo(source, s_wrapperPrefix.Length + body.Length);
        return source;
    }

    private void Record(ExecutionResult result)
    {
        Interlocked.Increment(ref _totalRuns);
        if (result.Failed)
        {
            Interlocked.Increment(ref _failedRuns);
        }
        if (result.Metrics.CacheHit)
        {
            Interlocked.Increment(ref _cacheHits);
        }
        Interlocked.Add(ref _totalTimeUs, result.Metrics.ExecutionTimeUs);
        Interlocked.Add(ref _totalMemory, result.Metrics.MemoryPeakBytes);
        UpdateMax(ref _peakTimeUs, result.Metrics.ExecutionTimeUs);
        UpdateMax(ref _peakMemory, result.Metrics.MemoryPeakBytes);
    }

    private static void UpdateMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) &&
               Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private void LogResult(ExecutionRequest request, ExecutionResult result)
    {
        foreach (var line in result.Logs)
        {
            HandlerLog(_logger, Level(line.Level), request.PanelId, request.ToolName, result.ExecutionId, line.Message);
        }
        if (result.Error is { } error)
        {
            HandlerFailed(_logger, request.PanelId, request.ToolName, result.ExecutionId, error.Code, error.Message);
        }
    }

    private static LogLevel Level(string level) => level switch
    {
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };

    [LoggerMessage(EventId = 100, Message = "Handler log [{PanelId}/{Tool} run {RunId}]: {Message}")]
    private static partial void HandlerLog(ILogger logger, LogLevel level, string panelId, string tool, string runId, string message);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "Handler failed [{PanelId}/{Tool} run {RunId}]: {Code} {Message}")]
    private static partial void HandlerFailed(ILogger logger, string panelId, string tool, string runId, string code, string message);

    /// <summary>What the prelude reports once the job queue is empty: null while the handler's promise is pending.</summary>
    private sealed record GuestOutcome(bool Ok, string? Value, JsonElement Error)
    {
        public static GuestOutcome? Parse(string json)
        {
            using var doc = JsonDocument.Parse(GuestJson.Sanitize(json));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var ok = root.GetProperty("ok").GetBoolean();
            var value = ok && root.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var error = !ok && root.TryGetProperty("error", out var e) ? e.Clone() : default;
            return new GuestOutcome(ok, value, error);
        }
    }
}
