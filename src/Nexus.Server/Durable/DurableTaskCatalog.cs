using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace Nexus.Server.Durable;

/// <summary>Maps task names to factories of the orchestrators, activities and entities the durable host runs.</summary>
/// <remarks>
/// Microsoft.DurableTask has its own DurableTaskRegistry, but only its gRPC worker can read it; this is the same idea
/// for DTFx's name-based object managers. Names compare case-insensitively, as DurableTask's do (entity names even
/// arrive lower-cased).
/// </remarks>
public sealed class DurableTaskCatalog
{
    private readonly Dictionary<string, Func<ITaskOrchestrator>> _orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<ITaskActivity>> _activities = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<ITaskEntity>> _entities = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers an orchestrator; the factory runs for every episode (replay), so it must be cheap.</summary>
    public DurableTaskCatalog AddOrchestrator(string name, Func<ITaskOrchestrator> factory) =>
        Add(_orchestrators, name, factory);

    /// <summary>Registers an orchestrator under its class name.</summary>
    public DurableTaskCatalog AddOrchestrator<T>() where T : ITaskOrchestrator, new() =>
        AddOrchestrator(typeof(T).Name, () => new T());

    /// <summary>Registers an activity; the factory runs once per activity execution.</summary>
    public DurableTaskCatalog AddActivity(string name, Func<ITaskActivity> factory) => Add(_activities, name, factory);

    /// <summary>Registers an activity under its class name.</summary>
    public DurableTaskCatalog AddActivity<T>() where T : ITaskActivity, new() =>
        AddActivity(typeof(T).Name, () => new T());

    /// <summary>Registers an entity; the factory runs once per batch of operations.</summary>
    public DurableTaskCatalog AddEntity(string name, Func<ITaskEntity> factory) => Add(_entities, name, factory);

    /// <summary>Registers an entity under its class name.</summary>
    public DurableTaskCatalog AddEntity<T>() where T : ITaskEntity, new() => AddEntity(typeof(T).Name, () => new T());

    internal Func<ITaskOrchestrator>? FindOrchestrator(string name) => _orchestrators.GetValueOrDefault(name);

    internal Func<ITaskActivity>? FindActivity(string name) => _activities.GetValueOrDefault(name);

    internal Func<ITaskEntity>? FindEntity(string name) => _entities.GetValueOrDefault(name);

    private DurableTaskCatalog Add<T>(Dictionary<string, Func<T>> map, string name, Func<T> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!map.TryAdd(name, factory))
        {
            throw new ArgumentException($"A durable task named '{name}' is already registered as {typeof(T).Name}.",
                nameof(name));
        }

        return this;
    }
}
