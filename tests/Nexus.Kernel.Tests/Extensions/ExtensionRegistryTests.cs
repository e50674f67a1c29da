using System.Text.Json;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;
using Nexus.Kernel.Json;

namespace Nexus.Kernel.Tests.Extensions;

public sealed class ExtensionRegistryTests
{
    private static readonly JsonElement s_args = NexusJson.Parse("""[1, "two"]""");

    private sealed class FakeExtension(
        string name, Func<string, JsonElement, CancellationToken, Task<JsonElement>> call, params string[] methods)
        : IExtension
    {
        public List<string> Calls { get; } = [];

        public string Name => name;

        public IReadOnlyCollection<string> Methods => methods;

        public Task<JsonElement> CallAsync(string method, JsonElement args, CancellationToken ct)
        {
            Calls.Add(method);
            return call(method, args, ct);
        }
    }

    private static FakeExtension Echo(string name = "echo") =>
        new(name, (method, args, _) => Task.FromResult(args), "say", "shout");

    private static FakeExtension Throwing(Exception exception) =>
        new("bad", (_, _, _) => throw exception, "run");

    [Fact]
    public async Task InvokeAsync_KnownMethod_ReturnsValueFromExtension()
    {
        var registry = new ExtensionRegistry();
        var echo = Echo();
        registry.Register(echo);

        var outcome = await registry.InvokeAsync("echo", "shout", s_args, CancellationToken.None);

        Assert.True(outcome.Success);
        Assert.Equal(s_args.GetRawText(), outcome.Value!.Value.GetRawText());
        Assert.Equal(["shout"], echo.Calls);
    }

    [Fact]
    public async Task InvokeAsync_UnknownExtension_FailsWithExtensionNotFound()
    {
        var registry = new ExtensionRegistry();
        registry.Register(Echo());

        var outcome = await registry.InvokeAsync("mail", "send", s_args, CancellationToken.None);

        Assert.Equal(ExtensionOutcome.Fail("Extension 'mail' not found", ErrorCodes.ExtensionNotFound), outcome);
    }

    [Fact]
    public async Task InvokeAsync_UnknownMethod_FailsWithMethodNotFoundWithoutCalling()
    {
        var registry = new ExtensionRegistry();
        var echo = Echo();
        registry.Register(echo);

        var outcome = await registry.InvokeAsync("echo", "whisper", s_args, CancellationToken.None);

        Assert.Equal(
            ExtensionOutcome.Fail("Method 'whisper' not found on extension 'echo'", ErrorCodes.MethodNotFound),
            outcome);
        Assert.Empty(echo.Calls);
    }

    [Fact]
    public void Register_DuplicateName_Throws()
    {
        var registry = new ExtensionRegistry();
        registry.Register(Echo());

        var error = Assert.Throws<InvalidOperationException>(() => registry.Register(Echo()));

        Assert.Equal("Extension 'echo' is already registered", error.Message);
    }

    [Fact]
    public async Task InvokeAsync_ExtensionException_KeepsItsCode()
    {
        var registry = new ExtensionRegistry();
        registry.Register(Throwing(new ExtensionException(ErrorCodes.ExtensionTimeout, "too slow")));

        var outcome = await registry.InvokeAsync("bad", "run", s_args, CancellationToken.None);

        Assert.Equal(ExtensionOutcome.Fail("too slow", ErrorCodes.ExtensionTimeout), outcome);
    }

    [Fact]
    public async Task InvokeAsync_OtherException_MapsToExtensionError()
    {
        var registry = new ExtensionRegistry();
        registry.Register(Throwing(new InvalidOperationException("broken")));

        var outcome = await registry.InvokeAsync("bad", "run", s_args, CancellationToken.None);

        Assert.Equal(ExtensionOutcome.Fail("broken", ErrorCodes.ExtensionError), outcome);
    }

    [Fact]
    public async Task InvokeAsync_ExtensionsOwnCancellation_MapsToExtensionError()
    {
        var registry = new ExtensionRegistry();
        registry.Register(Throwing(new OperationCanceledException("gave up")));

        var outcome = await registry.InvokeAsync("bad", "run", s_args, CancellationToken.None);

        Assert.Equal(ExtensionOutcome.Fail("gave up", ErrorCodes.ExtensionError), outcome);
    }

    [Fact]
    public async Task InvokeAsync_CallerCancels_PropagatesCancellation()
    {
        var registry = new ExtensionRegistry();
        registry.Register(new FakeExtension("slow",
            async (_, args, ct) => { await Task.Delay(Timeout.Infinite, ct); return args; }, "wait"));
        using var cancel = new CancellationTokenSource(50);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => registry.InvokeAsync("slow", "wait", s_args, cancel.Token).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Catalog_RegisteredExtensions_ListsNamesAndMethods()
    {
        var registry = new ExtensionRegistry();
        registry.Register(Echo());
        using var http = new HttpExtension();
        registry.Register(http);

        var catalog = registry.Catalog;

        Assert.Equal(["echo", "http"], catalog.Methods.Keys.Order());
        Assert.True(catalog.Has("echo", "say"));
        Assert.True(catalog.Has("http", "request"));
        Assert.False(catalog.Has("echo", "request"));
    }

    [Fact]
    public async Task InvokeAsync_HttpRefusal_BecomesFailedOutcome()
    {
        var registry = new ExtensionRegistry();
        using var http = new HttpExtension(new HttpExtensionOptions { AllowedDomains = ["api.example.com"] });
        registry.Register(http);

        var outcome = await registry.InvokeAsync(
            "http", "get", NexusJson.Parse("""["http://evil.example/"]"""), CancellationToken.None);

        Assert.False(outcome.Success);
        Assert.Equal(ErrorCodes.ExtensionError, outcome.Code);
        Assert.StartsWith("Domain evil.example is not in the allowed list", outcome.Error);
    }
}
