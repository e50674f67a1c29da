using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;

namespace Nexus.Kernel.Tests.Extensions;

/// <summary>
/// Which hosts and addresses the extension may reach. Refusals of non-loopback addresses happen before any
/// connection attempt, so these tests send nothing beyond the loopback test server.
/// </summary>
public sealed class HttpExtensionNetworkPolicyTests
{
    [Theory]
    [InlineData("ftp://127.0.0.1/file", "ftp")]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("gopher://127.0.0.1/", "gopher")]
    public async Task Get_NonHttpScheme_IsRefused(string url, string scheme)
    {
        using var http = new HttpExtension(HttpTesting.Local);

        var error = await http.FailAsync("get", $$"""["{{url}}"]""");

        Assert.Equal(ErrorCodes.ExtensionError, error.Code);
        Assert.Equal($"URL scheme '{scheme}' is not allowed; only http and https are", error.Message);
    }

    [Fact]
    public async Task Get_HostNotInAllowList_IsRefused()
    {
        using var http = new HttpExtension(new HttpExtensionOptions { AllowedDomains = ["api.example.com"] });

        var error = await http.FailAsync("get", """["http://other.example.com/x"]""");

        Assert.Equal(
            "Domain other.example.com is not in the allowed list; add it to HTTP_ALLOWED_DOMAINS to allow it",
            error.Message);
    }

    [Fact]
    public async Task Get_ExactlyListedHost_IsAllowedWhateverThePort()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK", "hi"));
        using var http = new HttpExtension(new HttpExtensionOptions { AllowedDomains = ["127.0.0.1"] });

        var result = await http.CallAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal("hi", result.GetProperty("data").GetString());
    }

    [Fact]
    public async Task Get_SubdomainOfWildcard_IsAllowed()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK", "hi"));
        var options = new HttpExtensionOptions { AllowedDomains = ["*.example.com"], BlockPrivateAddresses = false };
        using var http = new HttpExtension(options, HttpTesting.Resolver(("api.eu.example.com", "127.0.0.1")));

        var result = await http.CallAsync("get", $$"""["http://api.eu.example.com:{{server.Port}}/"]""");

        Assert.Equal("hi", result.GetProperty("data").GetString());
        Assert.Equal($"api.eu.example.com:{server.Port}", Assert.Single(server.Requests).Header("Host"));
    }

    [Theory]
    [InlineData("http://example.com/")]
    [InlineData("http://badexample.com/")]
    [InlineData("http://example.com.evil.net/")]
    public async Task Get_HostOutsideWildcard_IsRefused(string url)
    {
        using var http = new HttpExtension(new HttpExtensionOptions { AllowedDomains = ["*.example.com"] });

        var error = await http.FailAsync("get", $$"""["{{url}}"]""");

        Assert.Contains("is not in the allowed list", error.Message);
    }

    [Fact]
    public async Task Get_LoopbackNotListed_IsRefused()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        using var http = new HttpExtension();

        var error = await http.FailAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal(ErrorCodes.ExtensionError, error.Code);
        Assert.Equal(
            "Request to 127.0.0.1 refused: loopback addresses are blocked; " +
            "add the host to HTTP_ALLOWED_DOMAINS to allow it", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Get_LoopbackWithGuardOff_IsAllowed()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        using var http = new HttpExtension(new HttpExtensionOptions { BlockPrivateAddresses = false });

        var result = await http.CallAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal(200, result.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local")]
    [InlineData("http://10.1.2.3:8080/", "10.1.2.3", "private")]
    [InlineData("http://192.168.1.1/", "192.168.1.1", "private")]
    [InlineData("http://100.64.0.1/", "100.64.0.1", "carrier-grade NAT")]
    [InlineData("http://0.0.0.0/", "0.0.0.0", "unspecified")]
    [InlineData("http://[::1]/", "::1", "loopback")]
    [InlineData("http://[fd00::1]/", "fd00::1", "private")]
    [InlineData("http://[::ffff:10.0.0.1]/", "::ffff:10.0.0.1", "private")]
    public async Task Get_BlockedAddressLiteral_IsRefusedBeforeConnecting(string url, string host, string kind)
    {
        // A short timeout: had the guard let the connection be attempted, the test fails on time, not traffic.
        using var http = new HttpExtension(new HttpExtensionOptions { DefaultTimeoutMs = 2000 });

        var error = await http.FailAsync("get", $$"""["{{url}}"]""");

        Assert.Equal(ErrorCodes.ExtensionError, error.Code);
        Assert.Equal($"Request to {host} refused: {kind} addresses are blocked; " +
            "add the host to HTTP_ALLOWED_DOMAINS to allow it", error.Message);
    }

    [Fact]
    public async Task Get_NameResolvingToPrivateAddress_IsRefused()
    {
        var options = new HttpExtensionOptions { AllowedDomains = ["*.corp.example"], DefaultTimeoutMs = 2000 };
        using var http = new HttpExtension(options, HttpTesting.Resolver(
            ("wiki.corp.example", "203.0.113.7"), ("wiki.corp.example", "10.0.0.5")));

        var error = await http.FailAsync("get", """["http://wiki.corp.example/"]""");

        Assert.StartsWith("Request to wiki.corp.example (10.0.0.5) refused: private addresses", error.Message);
    }

    [Fact]
    public async Task Get_WildcardMatchedName_IsStillGuarded()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        var options = new HttpExtensionOptions { AllowedDomains = ["*.example.com"] };
        using var http = new HttpExtension(options, HttpTesting.Resolver(("api.example.com", "127.0.0.1")));

        var error = await http.FailAsync("get", $$"""["http://api.example.com:{{server.Port}}/"]""");

        Assert.Contains("loopback addresses are blocked", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Get_ExactlyListedNameResolvingToLoopback_IsAllowed()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK", "internal"));
        var options = new HttpExtensionOptions { AllowedDomains = ["intranet.example.com"] };
        using var http = new HttpExtension(options, HttpTesting.Resolver(("intranet.example.com", "127.0.0.1")));

        var result = await http.CallAsync("get", $$"""["http://intranet.example.com:{{server.Port}}/"]""");

        Assert.Equal("internal", result.GetProperty("data").GetString());
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.255.255.255", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.1", "private")]
    [InlineData("fc00::1", "private")]
    [InlineData("fdff::1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("100.64.0.0", "carrier-grade NAT")]
    [InlineData("100.127.255.255", "carrier-grade NAT")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("172.15.255.255", null)]
    [InlineData("172.32.0.0", null)]
    [InlineData("100.63.255.255", null)]
    [InlineData("100.128.0.0", null)]
    [InlineData("8.8.8.8", null)]
    [InlineData("2606:4700::1111", null)]
    public void Describe_Address_NamesItsBlockedRange(string address, string? kind)
    {
        Assert.Equal(kind, BlockedAddresses.Describe(System.Net.IPAddress.Parse(address)));
    }
}
