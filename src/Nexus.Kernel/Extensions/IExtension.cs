using System.Text.Json;

namespace Nexus.Kernel.Extensions;

/// <summary>A named set of host methods that handlers reach through <c>$ext</c>.</summary>
public interface IExtension
{
    /// <summary>The name handlers use, as in <c>$ext.http</c>.</summary>
    string Name { get; }

    /// <summary>The methods <see cref="CallAsync"/> accepts.</summary>
    IReadOnlyCollection<string> Methods { get; }

    /// <summary>Calls <paramref name="method"/>; <paramref name="args"/> is a JSON array of its arguments.</summary>
    /// <exception cref="ExtensionException">The call failed in a way the handler should see.</exception>
    Task<JsonElement> CallAsync(string method, JsonElement args, CancellationToken ct);
}
