using System.Text.Json;
using Nexus.Kernel.Durable;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;
using Nexus.Kernel.Json;
using Nexus.Kernel.Panels;
using Nexus.Sandbox;

namespace Nexus.Server.Tests.Entities;

/// <summary>The panel entity's operations with the real sandbox but no backend.</summary>
public sealed class PanelEntityTests : IDisposable
{
    private const string Fetch = """
        $state.steps = ($state.steps ?? 0) + 1;
        const r = await $ext.http.get('https://example.test/');
        $state.steps += 1;
        return r.n;
        """;

    private readonly HandlerExecutor _executor = new();
    private readonly HttpExtension _http = new();
    private readonly ExtensionRegistry _extensions = new();
    private readonly EntityDriver _driver = new("p1");

    public PanelEntityTests() => _extensions.Register(_http);

    public void Dispose()
    {
        _executor.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task Trigger_SuspendingRun_RecordsTheRunAndStartsItsOrchestrator()
    {
        await CreateAsync(("fetch", Fetch));

        await _driver.RunAsync(Entity(), "Trigger", new TriggerPanel("r1", "r1", "fetch", null));

        var run = Assert.Single(_driver.Record!.Runs.Values);
        Assert.Equal("r1", run.RunId);
        Assert.Equal(PanelStatus.Suspended, _driver.Record.Status);
        Assert.Equal(1, _driver.Record.State["steps"].GetInt32());
        var started = Assert.Single(_driver.Context.Started);
        Assert.Equal(nameof(TriggerOrchestrator), started.Name.Name);
        Assert.Equal(TriggerOrchestrator.InstanceIdFor("p1", "r1"), started.InstanceId);
    }

    [Fact]
    public async Task Resume_RepeatedForTheSameSuspension_AppliesTheRunOnce()
    {
        await CreateAsync(("fetch", Fetch));
        await _driver.RunAsync(Entity(), "Trigger", new TriggerPanel("r1", "r1", "fetch", null));
        var suspension = _driver.Record!.Runs["r1"].Suspension;
        var resume = new ResumeRun("r1", suspension.SuspensionId, ExtensionOutcome.Ok(NexusJson.Parse("""{"n":7}""")));

        var first = (ResumeStep)(await _driver.RunAsync(Entity(), "Resume", resume))!;
        var again = (ResumeStep)(await _driver.RunAsync(Entity(), "Resume", resume))!;

        Assert.Equal(7, first.Result!.ReturnValue!.Value.GetInt32());
        Assert.Same(ResumeStep.Gone, again);
        Assert.Equal(2, _driver.Record!.State["steps"].GetInt32());
        Assert.Equal(2, _driver.Record.Version);
        Assert.Empty(_driver.Record.Runs);
        Assert.Equal(PanelStatus.Running, _driver.Record.Status);
    }

    [Fact]
    public async Task Resume_StaleSuspensionId_ReportsWhereTheRunIsWithoutRunningIt()
    {
        await CreateAsync(("twice", """
            await $ext.http.get('https://example.test/a');
            $state.between = true;
            await $ext.http.get('https://example.test/b');
            """));
        await _driver.RunAsync(Entity(), "Trigger", new TriggerPanel("r1", "r1", "twice", null));
        var firstSuspension = _driver.Record!.Runs["r1"].Suspension.SuspensionId;
        var outcome = ExtensionOutcome.Ok(NexusJson.Null);
        var step = (ResumeStep)(await _driver.RunAsync(Entity(), "Resume", new ResumeRun("r1", firstSuspension, outcome)))!;
        var version = _driver.Record.Version;

        var stale = (ResumeStep)(await _driver.RunAsync(Entity(), "Resume", new ResumeRun("r1", firstSuspension, outcome)))!;

        Assert.NotEqual(firstSuspension, step.Suspension!.SuspensionId);
        Assert.Equal(step.Suspension.SuspensionId, stale.Suspension!.SuspensionId);
        Assert.Null(stale.Result);
        Assert.Equal(version, _driver.Record.Version);
    }

    [Fact]
    public async Task Delete_WithAnOpenRun_CancelsItForItsCaller()
    {
        await CreateAsync(("fetch", Fetch));
        await _driver.RunAsync(Entity(), "Trigger", new TriggerPanel("req", "r1", "fetch", null));

        await _driver.RunAsync(Entity(), "Delete", new DeletePanel("del"));

        Assert.Null(_driver.Record);
        var cancelled = _driver.Notices.OfType<RunProgress>().Last();
        Assert.Equal("req", cancelled.RequestId);
        Assert.Equal(ErrorCodes.Cancelled, cancelled.Result!.Error!.Code);
        var deleted = Assert.Single(_driver.Notices.OfType<PanelDeleted>());
        Assert.Equal(["r1"], deleted.CancelledRuns);
    }

    [Fact]
    public async Task Trigger_SandboxItselfFails_EndsTheRunWithAnInternalErrorAndChangesNothing()
    {
        await CreateAsync(("fetch", Fetch));
        var broken = new PanelEntity(new ThrowingExecutor(), _extensions, _driver, new PanelKernelOptions());

        await _driver.RunAsync(broken, "Trigger", new TriggerPanel("req", "r1", "fetch", null));

        var progress = Assert.Single(_driver.Notices.OfType<RunProgress>());
        Assert.True(progress.IsFinal);
        Assert.Equal(ErrorCodes.InternalError, progress.Result!.Error!.Code);
        Assert.Contains("fetch", progress.Result.Error.Message);
        Assert.Empty(_driver.Record!.State);
        Assert.Equal(0, _driver.Record.Version);
    }

    private PanelEntity Entity() =>
        new(_executor, _extensions, _driver, new PanelKernelOptions());

    private Task CreateAsync(params (string Name, string Handler)[] tools) =>
        _driver.RunAsync(Entity(), "Create", new CreatePanel("c", new PanelDefinition
        {
            Kind = "test",
            Tools = tools.Select(t => new ToolDefinition { Name = t.Name, Handler = t.Handler }).ToList(),
            InitialState = new Dictionary<string, JsonElement>(),
        }));
}

/// <summary>Stands in for a sandbox that crashes, which no handler can make the real one do on purpose.</summary>
internal sealed class ThrowingExecutor : IHandlerExecutor
{
    public Task<ExecutionResult> ExecuteAsync(ExecutionRequest request, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("engine exploded");
}
