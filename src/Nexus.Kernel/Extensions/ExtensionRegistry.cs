using System.Collections.Concurrent;
using System.Text.Json;
using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Extensions;

/// <summary>The extensions this host offers; turns their calls into outcomes a handler is resumed with.</summary>
public sealed class ExtensionRegistry : IExtensionInvoker
{
    private readonly ConcurrentDictionary<string, IExtension> _extensions = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="extension"/> under its name.</summary>
    /// <exception cref="InvalidOperationException">The name is already registered.</exception>
    public void Register(IExtension extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        if (!_extensions.TryAdd(extension.Name, extension))
        {
            throw new InvalidOperationException($"Extension '{extension.Name}' is already registered");
        }
    }

    /// <summary>The registered extensions and their methods, for the sandbox's <c>$ext</c>.</summary>
    public ExtensionCatalog Catalog =>
        new(_extensions.ToDictionary(kv => kv.Key, kv => kv.Value.Methods, StringComparer.Ordinal));

    /// <summary>
    /// Calls <paramref name="method"/> on <paramref name="extension"/>. Every failure becomes a failed outcome;
    /// only cancellation through <paramref name="ct"/> is thrown.
    /// </summary>
    public async Task<ExtensionOutcome> InvokeAsync(
        string extension, string method, JsonElement args, CancellationToken ct)
    {
        if (!_extensions.TryGetValue(extension, out var target))
        {
            return ExtensionOutcome.Fail($"Extension '{extension}' not found", ErrorCodes.ExtensionNotFound);
        }
        if (!target.Methods.Contains(method, StringComparer.Ordinal))
        {
            return ExtensionOutcome.Fail(
                $"Method '{method}' not found on extension '{extension}'", ErrorCodes.MethodNotFound);
        }
        try
        {
            return ExtensionOutcome.Ok(await target.CallAsync(method, args, ct));
        }
        catch (ExtensionException ex)
        {
            return ExtensionOutcome.Fail(ex.Message, ex.Code);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return ExtensionOutcome.Fail(ex.Message, ErrorCodes.ExtensionError);
        }
    }
}
