using System.Text;
using System.Text.Json;
using Nexus.Kernel.Json;
using Nexus.Sandbox.Runtime;

namespace Nexus.Sandbox.Tests;

/// <summary>Lone surrogates in guest JSON become U+FFFD; everything else is left exactly as it was.</summary>
public sealed class GuestJsonTests
{
    [Theory]
    [InlineData("""["\ud800"]""", """["\ufffd"]""")]
    [InlineData("""["a\udfffb"]""", """["a\ufffdb"]""")]
    [InlineData("""["\uD83D"]""", """["\ufffd"]""")]
    [InlineData("""["\\\ud800"]""", """["\\\ufffd"]""")]
    [InlineData("""["\\ud800\udc00"]""", """["\\ud800\ufffd"]""")]
    [InlineData("""["\ud800\ud800\udc00"]""", """["\ufffd\ud800\udc00"]""")]
    [InlineData("""{"\udc00":1}""", """{"\ufffd":1}""")]
    public void Sanitize_LoneSurrogateEscape_BecomesReplacementCharacter(string json, string expected)
    {
        Assert.Equal(expected, GuestJson.Sanitize(json));
        Assert.Equal(expected, Encoding.UTF8.GetString(GuestJson.Sanitize(Encoding.UTF8.GetBytes(json))));
        // What was unreadable before is readable now.
        JsonSerializer.Serialize(NexusJson.Parse(GuestJson.Sanitize(json)));
    }

    [Theory]
    [InlineData("""["plain"]""")]
    [InlineData("""["\\ud800"]""")]
    [InlineData("""["\\\\ud800"]""")]
    [InlineData("""["\ud83d\ude00"]""")]
    [InlineData("""["\u0001\u00e9"]""")]
    [InlineData("""["😀"]""")]
    public void Sanitize_NoLoneSurrogate_LeavesTextUnchanged(string json)
    {
        Assert.Equal(json, GuestJson.Sanitize(json));
    }
}
