using DurableTask.Core;
using DurableTask.Core.Entities;
using DurableTask.Core.Entities.OperationFormat;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker.Shims;
using CoreTaskActivity = DurableTask.Core.TaskActivity;
using CoreTaskEntity = DurableTask.Core.Entities.TaskEntity;

namespace Nexus.Server.Durable;

// DTFx's TaskHubWorker asks for task objects by name through these managers; each wraps the catalog's
// Microsoft.DurableTask class in the worker package's public shim. Registration goes through the catalog instead.

/// <summary>Serves orchestrations from the catalog, wrapped in the Microsoft.DurableTask shim.</summary>
internal sealed class CatalogOrchestrations(DurableTaskCatalog catalog, DurableTaskShimFactory shims)
    : INameVersionObjectManager<TaskOrchestration>
{
    public void Add(ObjectCreator<TaskOrchestration> creator) =>
        throw new NotSupportedException("Register orchestrators in the DurableTaskCatalog.");

    public TaskOrchestration? GetObject(string name, string? version) =>
        catalog.FindOrchestrator(name) is { } create ? shims.CreateOrchestration(name, create(), parent: null) : null;
}

/// <summary>Serves activities from the catalog, wrapped in the Microsoft.DurableTask shim.</summary>
internal sealed class CatalogActivities(DurableTaskCatalog catalog, DurableTaskShimFactory shims)
    : INameVersionObjectManager<CoreTaskActivity>
{
    public void Add(ObjectCreator<CoreTaskActivity> creator) =>
        throw new NotSupportedException("Register activities in the DurableTaskCatalog.");

    public CoreTaskActivity? GetObject(string name, string? version) =>
        catalog.FindActivity(name) is { } create ? shims.CreateActivity(name, create()) : null;
}

/// <summary>Serves entities from the catalog, each batch bound to a shim: only a batch carries its key.</summary>
internal sealed class CatalogEntities(DurableTaskCatalog catalog, DurableTaskShimFactory shims)
    : INameVersionObjectManager<CoreTaskEntity>
{
    public void Add(ObjectCreator<CoreTaskEntity> creator) =>
        throw new NotSupportedException("Register entities in the DurableTaskCatalog.");

    public CoreTaskEntity? GetObject(string name, string? version) =>
        catalog.FindEntity(name) is { } create ? new LazyEntity(name, create, shims) : null;

    private sealed class LazyEntity(string name, Func<ITaskEntity> create, DurableTaskShimFactory shims)
        : CoreTaskEntity
    {
        public override Task<EntityBatchResult> ExecuteOperationBatchAsync(EntityBatchRequest operations)
        {
            var id = EntityId.FromString(operations.InstanceId
                ?? throw new InvalidOperationException($"An operation batch for entity '{name}' has no instance id."));
            return shims.CreateEntity(name, create(), id).ExecuteOperationBatchAsync(operations);
        }
    }
}
