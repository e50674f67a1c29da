using Nexus.Kernel.Extensions;

namespace Nexus.Kernel.Tests.Extensions;

public sealed class HttpExtensionOptionsTests
{
    private static HttpExtensionOptions From(params (string Name, string Value)[] variables) =>
        HttpExtensionOptions.FromEnvironment(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void FromEnvironment_NothingSet_UsesDefaults()
    {
        var options = From();

        Assert.Equal(10, options.MaxConcurrent);
        Assert.Equal(100, options.MaxQueued);
        Assert.Equal(25_000, options.DefaultTimeoutMs);
        Assert.Equal(5 * 1024 * 1024, options.MaxResponseBytes);
        Assert.Equal(5, options.MaxRedirects);
        Assert.Empty(options.AllowedDomains);
        Assert.True(options.BlockPrivateAddresses);
    }

    [Fact]
    public void FromEnvironment_ValidValues_AreRead()
    {
        var options = From(("HTTP_MAX_CONCURRENT", "4"), ("HTTP_TIMEOUT", " 1500 "),
            ("HTTP_ALLOWED_DOMAINS", " api.example.com, *.cdn.example.com ,,127.0.0.1"));

        Assert.Equal(4, options.MaxConcurrent);
        Assert.Equal(1500, options.DefaultTimeoutMs);
        Assert.Equal(["api.example.com", "*.cdn.example.com", "127.0.0.1"], options.AllowedDomains);
    }

    [Fact]
    public void FromEnvironment_BlankValues_KeepDefaults()
    {
        var options = From(("HTTP_MAX_CONCURRENT", ""), ("HTTP_TIMEOUT", "  "), ("HTTP_ALLOWED_DOMAINS", ""));

        Assert.Equal(10, options.MaxConcurrent);
        Assert.Equal(25_000, options.DefaultTimeoutMs);
        Assert.Empty(options.AllowedDomains);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    public void FromEnvironment_BadTimeout_NamesVariable(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => From(("HTTP_TIMEOUT", value)));

        Assert.Equal($"HTTP_TIMEOUT must be a positive whole number of milliseconds, got '{value}'", error.Message);
    }

    [Theory]
    [InlineData("ten")]
    [InlineData("0")]
    public void FromEnvironment_BadMaxConcurrent_NamesVariable(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => From(("HTTP_MAX_CONCURRENT", value)));

        Assert.Equal($"HTTP_MAX_CONCURRENT must be a positive whole number, got '{value}'", error.Message);
    }

    [Theory]
    [InlineData("https://api.example.com")]
    [InlineData("api.example.com/path")]
    [InlineData("*")]
    [InlineData("*.")]
    public void FromEnvironment_BadDomainEntry_NamesVariable(string entry)
    {
        var error = Assert.Throws<ArgumentException>(() => From(("HTTP_ALLOWED_DOMAINS", $"ok.example.com,{entry}")));

        Assert.Equal($"HTTP_ALLOWED_DOMAINS entry '{entry}' is not a host name or a *.domain wildcard", error.Message);
    }

    [Fact]
    public void Init_OutOfRangeValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpExtensionOptions { MaxConcurrent = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpExtensionOptions { MaxQueued = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpExtensionOptions { DefaultTimeoutMs = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpExtensionOptions { MaxResponseBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpExtensionOptions { MaxRedirects = -1 });
        Assert.Throws<ArgumentException>(() => new HttpExtensionOptions { AllowedDomains = ["http://x"] });
    }
}
