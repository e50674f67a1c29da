using Nexus.Kernel.Capabilities;

namespace Nexus.Kernel.Tests.Capabilities;

/// <summary>The capability grammar and how one token matches an operation.</summary>
public sealed class CapabilityTests
{
    [Theory]
    [InlineData("state:read:count", CapabilityKind.StateRead, "count")]
    [InlineData("state:read:*", CapabilityKind.StateRead, "*")]
    [InlineData("state:write:user", CapabilityKind.StateWrite, "user")]
    [InlineData("state:write:*", CapabilityKind.StateWrite, "*")]
    [InlineData("events:emit:saved", CapabilityKind.EventsEmit, "saved")]
    [InlineData("events:emit:*", CapabilityKind.EventsEmit, "*")]
    [InlineData("view:update:list", CapabilityKind.ViewUpdate, "list")]
    [InlineData("view:update:*", CapabilityKind.ViewUpdate, "*")]
    [InlineData("ext:http", CapabilityKind.Extension, "http")]
    [InlineData("ext:*", CapabilityKind.Extension, "*")]
    public void TryParse_GrammarToken_ParsesKindAndTarget(string text, CapabilityKind kind, string target)
    {
        Assert.True(Capability.TryParse(text, out var capability, out var problem), problem);
        Assert.Equal(new Capability(kind, target), capability);
        Assert.Null(problem);
        Assert.Equal(text, capability!.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("state")]
    [InlineData("state:read")]
    [InlineData("state:read:")]
    [InlineData("state:read:a:b")]
    [InlineData("state:delete:a")]
    [InlineData("State:read:a")]
    [InlineData("state:READ:a")]
    [InlineData("events:emit")]
    [InlineData("events:send:a")]
    [InlineData("view:update")]
    [InlineData("view:focus:a")]
    [InlineData("ext")]
    [InlineData("ext:")]
    [InlineData("ext:http:get")]
    [InlineData("Ext:http")]
    [InlineData("http")]
    public void TryParse_OutsideTheGrammar_FailsWithAReason(string? text)
    {
        Assert.False(Capability.TryParse(text, out var capability, out var problem));
        Assert.Null(capability);
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Fact]
    public void TryParse_UnknownToken_ReasonNamesTheTokenAndTheGrammar()
    {
        Capability.TryParse("state:read", out _, out var problem);

        Assert.Contains("'state:read'", problem, StringComparison.Ordinal);
        Assert.Contains("state:read:<key>", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("state:read:count", CapabilityKind.StateRead, "count", true)]
    [InlineData("state:read:count", CapabilityKind.StateRead, "other", false)]
    [InlineData("state:read:count", CapabilityKind.StateRead, "Count", false)]
    [InlineData("state:read:count", CapabilityKind.StateRead, "count ", false)]
    [InlineData("state:read:count", CapabilityKind.StateRead, "*", false)]
    [InlineData("state:read:count", CapabilityKind.StateWrite, "count", false)]
    [InlineData("state:read:*", CapabilityKind.StateRead, "anything", true)]
    [InlineData("state:read:*", CapabilityKind.StateRead, "*", true)]
    [InlineData("state:read:*", CapabilityKind.StateWrite, "anything", false)]
    [InlineData("state:write:*", CapabilityKind.StateWrite, "a:b", true)]
    [InlineData("state:write:*", CapabilityKind.StateRead, "a", false)]
    [InlineData("events:emit:toast", CapabilityKind.EventsEmit, "toast", true)]
    [InlineData("events:emit:toast", CapabilityKind.EventsEmit, "Toast", false)]
    [InlineData("events:emit:*", CapabilityKind.ViewUpdate, "toast", false)]
    [InlineData("view:update:list", CapabilityKind.ViewUpdate, "list", true)]
    [InlineData("view:update:list", CapabilityKind.ViewUpdate, "grid", false)]
    [InlineData("view:update:*", CapabilityKind.ViewUpdate, "grid", true)]
    [InlineData("ext:http", CapabilityKind.Extension, "http", true)]
    [InlineData("ext:http", CapabilityKind.Extension, "HTTP", false)]
    [InlineData("ext:http", CapabilityKind.Extension, "http2", false)]
    [InlineData("ext:*", CapabilityKind.Extension, "db", true)]
    [InlineData("ext:*", CapabilityKind.StateRead, "db", false)]
    public void Grants_Operation_MatchesOnlySameKindAndExactOrWildcardTarget(
        string token, CapabilityKind kind, string target, bool expected)
    {
        Assert.True(Capability.TryParse(token, out var capability, out _));

        Assert.Equal(expected, capability!.Grants(kind, target));
    }

    [Fact]
    public void Grants_TargetWithColon_CanOnlyBeGrantedByAWildcard()
    {
        // A specific token for a key holding ':' is outside the grammar, so only '*' covers such a key.
        Assert.False(Capability.TryParse("state:read:a:b", out _, out _));
        Assert.True(new Capability(CapabilityKind.StateRead, "*").Grants(CapabilityKind.StateRead, "a:b"));
    }

    [Theory]
    [InlineData(CapabilityKind.StateRead, "k", "state:read:k")]
    [InlineData(CapabilityKind.StateWrite, "*", "state:write:*")]
    [InlineData(CapabilityKind.EventsEmit, "e", "events:emit:e")]
    [InlineData(CapabilityKind.ViewUpdate, "v", "view:update:v")]
    [InlineData(CapabilityKind.Extension, "x", "ext:x")]
    public void Format_KindAndTarget_WritesTheToken(CapabilityKind kind, string target, string expected)
    {
        Assert.Equal(expected, Capability.Format(kind, target));
    }
}
