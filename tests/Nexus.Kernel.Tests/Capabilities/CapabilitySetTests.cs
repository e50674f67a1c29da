using Nexus.Kernel.Capabilities;

namespace Nexus.Kernel.Tests.Capabilities;

/// <summary>A run's set of capabilities: parsed from tokens, and allowing what any token grants.</summary>
public sealed class CapabilitySetTests
{
    [Fact]
    public void Parse_ValidTokens_AllowsWhatAnyTokenGrants()
    {
        var set = CapabilitySet.Parse(["state:read:a", "state:write:b", "ext:http"]);

        Assert.True(set.Allows(CapabilityKind.StateRead, "a"));
        Assert.True(set.Allows(CapabilityKind.StateWrite, "b"));
        Assert.True(set.Allows(CapabilityKind.Extension, "http"));
        Assert.False(set.Allows(CapabilityKind.StateWrite, "a"));
        Assert.False(set.Allows(CapabilityKind.StateRead, "b"));
        Assert.False(set.Allows(CapabilityKind.EventsEmit, "a"));
    }

    [Fact]
    public void Parse_BadToken_ThrowsFormatExceptionNamingIt()
    {
        var ex = Assert.Throws<FormatException>(() => CapabilitySet.Parse(["state:read:a", "state:raed:b", "ext:"]));

        Assert.Contains("'state:raed:b'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateTokens_AreKeptOnce()
    {
        var set = CapabilitySet.Parse(["ext:http", "ext:http", "state:read:*"]);

        Assert.Equal(["ext:http", "state:read:*"], set.Items.Select(c => c.ToString()));
        Assert.Equal("ext:http,state:read:*", set.ToString());
    }

    [Theory]
    [InlineData(CapabilityKind.StateRead, "x")]
    [InlineData(CapabilityKind.StateWrite, "*")]
    [InlineData(CapabilityKind.EventsEmit, "toast")]
    [InlineData(CapabilityKind.ViewUpdate, "v")]
    [InlineData(CapabilityKind.Extension, "http")]
    public void None_AnyOperation_IsDenied(CapabilityKind kind, string target)
    {
        Assert.False(CapabilitySet.None.Allows(kind, target));
        Assert.False(CapabilitySet.Parse([]).Allows(kind, target));
    }

    [Theory]
    [InlineData(CapabilityKind.StateRead, "x")]
    [InlineData(CapabilityKind.StateWrite, "y")]
    [InlineData(CapabilityKind.EventsEmit, "toast")]
    [InlineData(CapabilityKind.ViewUpdate, "v")]
    [InlineData(CapabilityKind.Extension, "http")]
    public void All_AnyOperation_IsAllowed(CapabilityKind kind, string target)
    {
        Assert.True(CapabilitySet.All.Allows(kind, target));
    }
}
