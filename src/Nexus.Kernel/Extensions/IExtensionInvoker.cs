using System.Text.Json;
using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Extensions;

/// <summary>Performs extension calls for suspended runs; expected failures come back as failed outcomes.</summary>
public interface IExtensionInvoker
{
    /// <summary>The extensions and methods handlers can call.</summary>
    ExtensionCatalog Catalog { get; }

    /// <summary>Calls <paramref name="extension"/>.<paramref name="method"/> with a JSON array of arguments.</summary>
    Task<ExtensionOutcome> InvokeAsync(string extension, string method, JsonElement args, CancellationToken cancellationToken);
}
