using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Nexus.Kernel.Capabilities;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;
using Nexus.Kernel.Json;
using Nexus.Kernel.Panels;

namespace Nexus.Kernel.Durable;

/// <summary>
/// One panel: its definition, state, version and open runs. Every change to a panel's state is an operation of this
/// entity, one at a time, so a panel has a single writer; handlers run inside the operation (in the sandbox) and
/// their effects are applied before the operation ends.
/// </summary>
/// <remarks>
/// A run that suspends on an extension call is recorded with its journal, and a <see cref="TriggerOrchestrator"/> is
/// started for it; the orchestrator calls <see cref="Resume"/> with the call's outcome, as many times as the run
/// suspends. Runs interleave only at those points. The entity does no network I/O: results reach waiting callers
/// through <see cref="IPanelNotifier"/> once the operation is committed.
/// </remarks>
public sealed class PanelEntity(IHandlerExecutor executor, IExtensionInvoker extensions, IPanelNotifier notifier, PanelKernelOptions options)
    : TaskEntity<PanelRecord?>
{
    /// <summary>The entity name panels are stored under.</summary>
    public const string EntityName = "panel";

    /// <summary>The entity id of panel <paramref name="panelId"/>.</summary>
    public static EntityInstanceId IdFor(string panelId) => new(EntityName, panelId);

    /// <summary>Creates the panel, unless one with this id exists.</summary>
    public void Create(CreatePanel input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var panelId = Context.Id.Key;
        if (State is not null)
        {
            notifier.Notify(new PanelCreated(panelId, input.RequestId, State.Version,
                new PanelFailure(409, "PANEL_EXISTS", $"Panel '{panelId}' already exists")));
            return;
        }
        var now = DateTimeOffset.UtcNow;
        State = new PanelRecord
        {
            Definition = input.Definition with { Id = panelId },
            State = input.Definition.InitialState is { } initial
                ? new Dictionary<string, JsonElement>(initial, StringComparer.Ordinal)
                : new(StringComparer.Ordinal),
            CreatedAt = now,
            LastActivity = now,
        };
        notifier.Notify(new PanelCreated(panelId, input.RequestId, 0, null));
    }

    /// <summary>Runs a tool's handler and applies what it did; a suspended run continues in an orchestration.</summary>
    public async Task Trigger(TriggerPanel input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var panelId = Context.Id.Key;
        if (State is null)
        {
            Fail(input, 404, "PANEL_NOT_FOUND", $"Panel '{panelId}' not found");
            return;
        }
        var tool = State.Definition.FindTool(input.Tool);
        if (tool is null)
        {
            Fail(input, 404, "TOOL_NOT_FOUND", $"Tool '{input.Tool}' not found on panel '{panelId}'");
            return;
        }
        var result = await RunAsync(Request(panelId, tool, input.Args, journal: null) with { ExecutionId = input.RunId });
        var suspension = Apply(result);
        if (suspension is not null)
        {
            State.Runs[input.RunId] = new OpenRun(input.RunId, tool.Name, input.Args, input.RequestId, result.Journal!,
                suspension, DateTimeOffset.UtcNow);
            Context.ScheduleNewOrchestration(
                nameof(TriggerOrchestrator),
                new TriggerRun(panelId, input.RunId, suspension, options.SuspensionTimeoutMs),
                new StartOrchestrationOptions(InstanceId: TriggerOrchestrator.InstanceIdFor(panelId, input.RunId)));
        }
        else
        {
            Remember(input.RunId, tool.Name, result);
        }
        Refresh();
        notifier.Notify(new RunProgress(panelId, input.RequestId, input.RunId, Public(result), State.Version, State.Status, null));
    }

    /// <summary>Resumes a suspended run with its extension call's outcome (called by the run's orchestrator).</summary>
    public async Task<ResumeStep> Resume(ResumeRun input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var panelId = Context.Id.Key;
        if (State is null || !State.Runs.TryGetValue(input.RunId, out var run))
        {
            return ResumeStep.Gone;
        }
        if (run.Suspension.SuspensionId != input.SuspensionId)
        {
            // A repeated message for a suspension already resumed: report where the run is now.
            return new ResumeStep(run.Suspension, null);
        }
        var tool = State.Definition.FindTool(run.Tool);
        var result = tool is null
            ? Cancelled(run, $"Tool '{run.Tool}' was removed while the run was suspended")
            : await RunAsync(Request(panelId, tool, run.Args, run.Journal.WithOutcome(input.Outcome)));
        var suspension = Apply(result);
        if (suspension is not null)
        {
            State.Runs[run.RunId] = run with { Journal = result.Journal!, Suspension = suspension };
        }
        else
        {
            State.Runs.Remove(run.RunId);
            Remember(run.RunId, run.Tool, result);
        }
        Refresh();
        var published = Public(result);
        notifier.Notify(new RunProgress(panelId, run.RequestId ?? run.RunId, run.RunId, published, State.Version, State.Status, null));
        return new ResumeStep(suspension, suspension is null ? published : null);
    }

    /// <summary>Deletes the panel; its open runs are cancelled (their orchestrators find them gone).</summary>
    public void Delete(DeletePanel input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var panelId = Context.Id.Key;
        var runs = State?.Runs.Values.ToList() ?? [];
        foreach (var run in runs)
        {
            var cancelled = Cancelled(run, $"Panel '{panelId}' was deleted while the run was suspended");
            notifier.Notify(new RunProgress(panelId, run.RequestId ?? run.RunId, run.RunId, Public(cancelled),
                State!.Version, PanelStatus.Stopped, null));
        }
        notifier.Notify(new PanelDeleted(panelId, input.RequestId, State is not null, runs.Select(r => r.RunId).ToList()));
        State = null;
    }

    /// <inheritdoc/>
    protected override PanelRecord? InitializeState(TaskEntityOperation entityOperation) => null;

    /// <summary>
    /// Runs a handler. The executor reports handler failures as results; an exception here is the sandbox itself
    /// failing, which must still end the run with an answer rather than leave its caller waiting.
    /// </summary>
    private async Task<ExecutionResult> RunAsync(ExecutionRequest request)
    {
        try
        {
            return await executor.ExecuteAsync(request);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ExecutionResult.FailedBeforeRunning(request, new ExecutionError(ErrorCodes.InternalError,
                $"The sandbox failed while running tool '{request.ToolName}': {ex.Message}"));
        }
    }

    private ExecutionRequest Request(string panelId, ToolDefinition tool, JsonElement? args, Journal? journal) => new()
    {
        PanelId = panelId,
        ToolName = tool.Name,
        Handler = tool.Handler,
        State = State!.State,
        Args = args,
        Scope = NexusJson.EmptyObject,
        Capabilities = Capabilities(tool),
        Extensions = extensions.Catalog,
        Journal = journal,
        Limits = options.Limits,
    };

    private CapabilitySet? Capabilities(ToolDefinition tool) =>
        (tool.Capabilities ?? State!.Definition.Capabilities) is { } tokens ? CapabilitySet.Parse(tokens) : null;

    /// <summary>Applies a result's mutations (a failed result carries none of its own) and returns its suspension.</summary>
    private SuspensionDetails? Apply(ExecutionResult result)
    {
        var record = State!;
        if (result.StateMutations.Count > 0)
        {
            foreach (var mutation in result.StateMutations)
            {
                if (mutation.Op == StateMutation.SetOp)
                {
                    record.State[mutation.Key] = mutation.Value ?? NexusJson.Null;
                }
                else
                {
                    record.State.Remove(mutation.Key);
                }
            }
            record.Version++;
        }
        if (result.StateMutations.Count > 0 || result.Events.Count > 0)
        {
            record.LastActivity = DateTimeOffset.UtcNow;
        }
        return result.Status == ExecutionStatus.Suspended ? result.Suspension : null;
    }

    private void Remember(string runId, string tool, ExecutionResult result)
    {
        var recent = State!.RecentRuns;
        recent.Add(new RunSummary(runId, tool, result.Status, result.ReturnValue, result.Error, DateTimeOffset.UtcNow));
        if (recent.Count > options.RecentRuns)
        {
            recent.RemoveRange(0, recent.Count - options.RecentRuns);
        }
    }

    private void Refresh() => State!.Status = State.Runs.Count > 0 ? PanelStatus.Suspended : PanelStatus.Running;

    private void Fail(TriggerPanel input, int status, string code, string message) =>
        notifier.Notify(new RunProgress(Context.Id.Key, input.RequestId, input.RunId, null, State?.Version ?? 0,
            State?.Status ?? PanelStatus.Stopped, new PanelFailure(status, code, message)));

    private static ExecutionResult Cancelled(OpenRun run, string message) =>
        ExecutionResult.FailedBeforeRunning(
            run.Journal.ExecutionId, run.Journal.Reported, new ExecutionError(ErrorCodes.Cancelled, message));

    /// <summary>What callers see of a result: the journal stays inside the entity.</summary>
    private static ExecutionResult Public(ExecutionResult result) => result with { Journal = null };
}
