using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Nexus.Kernel.Durable;

namespace Nexus.Server.Tests.Entities;

/// <summary>Runs <see cref="PanelEntity"/> operations directly, without a backend, keeping state between them.</summary>
internal sealed class EntityDriver(string panelId) : IPanelNotifier
{
    private readonly FakeState _state = new();

    public FakeContext Context { get; } = new(PanelEntity.IdFor(panelId));
    public List<PanelNotice> Notices { get; } = [];
    public PanelRecord? Record => (PanelRecord?)_state.Value;

    public void Notify(PanelNotice notice) => Notices.Add(notice);

    public async Task<object?> RunAsync(ITaskEntity entity, string operation, object? input) =>
        await entity.RunAsync(new FakeOperation(operation, input, Context, _state));

    private sealed class FakeState : TaskEntityState
    {
        public object? Value { get; private set; }
        public override bool HasState => Value is not null;
        public override object? GetState(Type type) => Value;
        public override void SetState(object? state) => Value = state;
    }

    private sealed class FakeOperation(string name, object? input, TaskEntityContext context, TaskEntityState state)
        : TaskEntityOperation
    {
        public override string Name => name;
        public override TaskEntityContext Context => context;
        public override TaskEntityState State => state;
        public override bool HasInput => input is not null;
        public override object? GetInput(Type inputType) => input;
    }
}

/// <summary>Records the orchestrations an entity operation starts.</summary>
internal sealed class FakeContext(EntityInstanceId id) : TaskEntityContext
{
    public List<(TaskName Name, object? Input, string? InstanceId)> Started { get; } = [];
    public override EntityInstanceId Id => id;

    public override void SignalEntity(EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null) =>
        throw new NotSupportedException("Panel entities signal nobody.");

    public override string ScheduleNewOrchestration(TaskName name, object? input = null, StartOrchestrationOptions? options = null)
    {
        Started.Add((name, input, options?.InstanceId));
        return options?.InstanceId ?? Guid.NewGuid().ToString("N");
    }
}
