using System.Text.Json;

namespace Nexus.Kernel.Extensions;

/// <summary>
/// One request as a handler asked for it, before any policy or network is involved. <c>Body</c> is null when there
/// is none, <c>TimeoutMs</c> when the configured default applies.
/// </summary>
internal sealed record HttpCall(
    HttpMethod Method,
    string Url,
    JsonElement? Body,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    int? TimeoutMs);
