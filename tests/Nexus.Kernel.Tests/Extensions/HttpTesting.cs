using System.Net;
using System.Text.Json;
using Nexus.Kernel.Extensions;
using Nexus.Kernel.Json;

namespace Nexus.Kernel.Tests.Extensions;

/// <summary>Shorthands for calling the <c>http</c> extension against the local test server.</summary>
internal static class HttpTesting
{
    /// <summary>Options that let requests reach the loopback test server.</summary>
    public static HttpExtensionOptions Local { get; } = new() { AllowedDomains = ["127.0.0.1"] };

    /// <summary>A resolver for tests that must not touch real DNS: known names only.</summary>
    public static Func<string, CancellationToken, Task<IPAddress[]>> Resolver(
        params (string Host, string Address)[] entries) => (host, _) =>
    {
        var match = entries.Where(e => e.Host == host).Select(e => IPAddress.Parse(e.Address)).ToArray();
        return match.Length > 0
            ? Task.FromResult(match)
            : throw new InvalidOperationException($"The test resolver does not know {host}");
    };

    public static Task<JsonElement> CallAsync(this HttpExtension http, string method, string argsJson) =>
        http.CallAsync(method, NexusJson.Parse(argsJson), CancellationToken.None);

    /// <summary>Calls and expects an <see cref="ExtensionException"/>; fails rather than hangs if none comes.</summary>
    public static async Task<ExtensionException> FailAsync(this HttpExtension http, string method, string argsJson) =>
        await Assert.ThrowsAsync<ExtensionException>(
            () => http.CallAsync(method, argsJson).WaitAsync(TimeSpan.FromSeconds(10)));
}
