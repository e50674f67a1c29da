using System.Text.Json;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;

namespace Nexus.Server.Observability;

/// <summary>Counts extension calls by outcome on their way to the registry.</summary>
public sealed class MeteredExtensions(ExtensionRegistry registry, NexusMetrics metrics) : IExtensionInvoker
{
    public ExtensionCatalog Catalog => registry.Catalog;

    public async Task<ExtensionOutcome> InvokeAsync(string extension, string method, JsonElement args, CancellationToken cancellationToken)
    {
        var outcome = await registry.InvokeAsync(extension, method, args, cancellationToken);
        metrics.CountExtensionCall(extension, outcome.Success);
        return outcome;
    }
}
