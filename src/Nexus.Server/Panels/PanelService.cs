using System.Text.Json;
using Nexus.Kernel.Durable;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Panels;
using Nexus.Server.Apis;
using Nexus.Server.Configuration;
using Nexus.Server.Durable;

namespace Nexus.Server.Panels;

/// <summary>
/// The panel operations behind the HTTP API. Every change is an operation of the panel's entity; callers wait for
/// the notice the operation produces once it is committed.
/// </summary>
public sealed class PanelService(CoreDurableHost host, NoticeWaiters waiters, PanelCounter counter, NexusServerOptions options)
{
    // How long an entity operation may take to be picked up and committed before the caller gets 503.
    private static readonly TimeSpan s_operationTimeout = TimeSpan.FromSeconds(30);

    public async Task<Outcome<PanelCreatedResponse>> CreateAsync(PanelDefinition definition, string hubUrl, CancellationToken ct)
    {
        var problems = PanelDefinitionValidator.Validate(definition, options.Kernel.Limits);
        if (problems.Count > 0)
        {
            return ApiError.BadRequest("INVALID_DEFINITION",
                $"The panel definition is invalid: {problems[0].Path} {problems[0].Message}", problems);
        }
        if (counter.Count >= options.MaxPanels)
        {
            return new ApiError(429, "TOO_MANY_PANELS",
                $"This server already holds {counter.Count} panels (MAX_PANELS is {options.MaxPanels}); delete some first.");
        }
        var id = definition.Id ?? $"panel_{Guid.NewGuid().ToString("N")[..8]}";
        var requestId = NewId();
        using var waiter = waiters.Register(requestId);
        await host.SignalEntityAsync(PanelEntity.IdFor(id), nameof(PanelEntity.Create), new CreatePanel(requestId, definition with { Id = id }));
        if (await waiter.NextAsync(s_operationTimeout, ct) is not PanelCreated created)
        {
            return Unavailable("creating the panel");
        }
        if (created.Failure is { } failure)
        {
            return new ApiError(failure.Status, failure.Code, failure.Message);
        }
        counter.Added();
        return new PanelCreatedResponse(id, PanelStatus.Running, created.Version, hubUrl);
    }

    public async Task<Outcome<PanelRecord>> GetAsync(string panelId, CancellationToken ct)
    {
        if (!PanelDefinitionValidator.IsValidId(panelId))
        {
            return PanelNotFound(panelId);
        }
        var record = await host.GetEntityStateAsync<PanelRecord>(PanelEntity.IdFor(panelId), ct);
        return record is null ? PanelNotFound(panelId) : record;
    }

    public async Task<PanelPage> ListAsync(int top, string? continuation, CancellationToken ct)
    {
        var (records, next) = await host.QueryEntitiesAsync<PanelRecord>(PanelEntity.EntityName, top, continuation, ct);
        return new PanelPage(records.Select(PanelInfo.From).ToList(), counter.Count, next);
    }

    public async Task<ApiError?> DeleteAsync(string panelId, CancellationToken ct)
    {
        if (!PanelDefinitionValidator.IsValidId(panelId))
        {
            return PanelNotFound(panelId);
        }
        var requestId = NewId();
        using var waiter = waiters.Register(requestId);
        await host.SignalEntityAsync(PanelEntity.IdFor(panelId), nameof(PanelEntity.Delete), new DeletePanel(requestId));
        if (await waiter.NextAsync(s_operationTimeout, ct) is not PanelDeleted deleted)
        {
            return Unavailable("deleting the panel");
        }
        if (!deleted.Existed)
        {
            return PanelNotFound(panelId);
        }
        counter.Removed();
        foreach (var runId in deleted.CancelledRuns)
        {
            await host.TerminateOrchestrationAsync(TriggerOrchestrator.InstanceIdFor(panelId, runId), $"Panel '{panelId}' was deleted");
        }
        return null;
    }

    /// <summary>Runs a tool; waits up to <c>TRIGGER_WAIT_MS</c> for the run to finish.</summary>
    public async Task<Outcome<TriggerOutcome>> TriggerAsync(string panelId, string tool, JsonElement? args, CancellationToken ct)
    {
        if (!PanelDefinitionValidator.IsValidId(panelId))
        {
            return PanelNotFound(panelId);
        }
        var runId = NewId();
        using var waiter = waiters.Register(runId);
        await host.SignalEntityAsync(PanelEntity.IdFor(panelId), nameof(PanelEntity.Trigger), new TriggerPanel(runId, runId, tool, args));
        var deadline = DateTimeOffset.UtcNow.AddMilliseconds(options.TriggerWaitMs);
        var effects = new RunEffects();
        RunProgress? last = null;
        while (true)
        {
            var remaining = deadline - DateTimeOffset.UtcNow;
            var notice = await waiter.NextAsync(last is null ? Max(remaining, s_operationTimeout) : remaining, ct);
            if (notice is not RunProgress progress)
            {
                return last is null ? Unavailable("starting the run") : new TriggerOutcome(runId, null, last);
            }
            if (progress.Failure is { } failure)
            {
                return new ApiError(failure.Status, failure.Code, failure.Message);
            }
            effects.Add(progress.Result!);
            if (progress.IsFinal)
            {
                return new TriggerOutcome(runId, effects.Combine(progress.Result!), progress);
            }
            last = progress;
            if (remaining <= TimeSpan.Zero)
            {
                return new TriggerOutcome(runId, null, last);
            }
        }
    }

    public async Task<Outcome<RunStatus>> GetRunAsync(string panelId, string runId, CancellationToken ct)
    {
        var panel = await GetAsync(panelId, ct);
        if (panel.Error is { } error)
        {
            return error;
        }
        var record = panel.Value!;
        if (record.Runs.TryGetValue(runId, out var open))
        {
            return new RunStatus(runId, panelId, "suspended", open.Suspension);
        }
        var orchestration = await host.GetOrchestrationStateAsync(TriggerOrchestrator.InstanceIdFor(panelId, runId));
        if (orchestration is { IsFinished: true } && orchestration.ReadOutputAs<ExecutionResult>() is { } result)
        {
            return new RunStatus(runId, panelId, StatusName(result.Status), null, result.ReturnValue, result.Error, result);
        }
        var summary = record.RecentRuns.LastOrDefault(r => r.RunId == runId);
        return summary is null
            ? ApiError.NotFound("RUN_NOT_FOUND", $"Run '{runId}' not found on panel '{panelId}'")
            : new RunStatus(runId, panelId, StatusName(summary.Status), null, summary.ReturnValue, summary.Error);
    }

    private static string StatusName(ExecutionStatus status) => status.ToString().ToLowerInvariant();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static ApiError PanelNotFound(string panelId) => ApiError.NotFound("PANEL_NOT_FOUND", $"Panel '{panelId}' not found");

    private static ApiError Unavailable(string what) => new(503, "BACKEND_UNAVAILABLE",
        $"The durable backend did not answer in time while {what}; check that storage (NEXUS_STORAGE) is reachable.");
}

/// <summary>
/// Gathers a run's effects across its suspensions, so a caller that waited for the whole run sees all of them
/// (each hop's result lists only its new effects; a failed hop adds none), with the hops' sandbox time and host
/// calls added up (a replay repeats its recorded calls, so they count again).
/// </summary>
internal sealed class RunEffects
{
    private readonly List<StateMutation> _mutations = [];
    private readonly List<EmittedEvent> _events = [];
    private readonly List<ViewCommand> _viewCommands = [];
    private readonly List<LogEntry> _logs = [];
    private ExecutionMetrics _metrics = new(0, 0, 0, 0, true);

    public void Add(ExecutionResult hop)
    {
        _metrics = new ExecutionMetrics(
            _metrics.ExecutionTimeUs + hop.Metrics.ExecutionTimeUs,
            hop.Metrics.MemoryUsedBytes,
            Math.Max(_metrics.MemoryPeakBytes, hop.Metrics.MemoryPeakBytes),
            _metrics.HostCalls + hop.Metrics.HostCalls,
            _metrics.CacheHit && hop.Metrics.CacheHit);
        _mutations.AddRange(hop.StateMutations);
        _events.AddRange(hop.Events);
        _viewCommands.AddRange(hop.ViewCommands);
        _logs.AddRange(hop.Logs);
    }

    public ExecutionResult Combine(ExecutionResult final) => final with
    {
        StateMutations = _mutations,
        Events = _events,
        ViewCommands = _viewCommands,
        Logs = _logs,
        Metrics = _metrics,
        EffectOffsets = EffectCounts.None,
    };
}

/// <summary>How many panels exist, for <c>MAX_PANELS</c>; counted from storage at start.</summary>
public sealed class PanelCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset(int count) => Volatile.Write(ref _count, count);

    public void Added() => Interlocked.Increment(ref _count);

    public void Removed() => Interlocked.Decrement(ref _count);
}
