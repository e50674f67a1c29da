using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;

namespace Nexus.Kernel.Tests.Extensions;

public sealed class HttpExtensionRedirectTests
{
    // /hop/n redirects to /hop/n-1; /hop/0 answers.
    private static TestHttpServer HopServer() => new(x =>
    {
        var n = int.Parse(x.Request.Path["/hop/".Length..]);
        return n == 0
            ? x.RespondAsync("200 OK", "arrived")
            : x.RespondAsync("302 Found", "", $"Location: /hop/{n - 1}");
    });

    [Fact]
    public async Task Get_FiveRedirects_AreFollowed()
    {
        await using var server = HopServer();
        using var http = new HttpExtension(HttpTesting.Local);

        var result = await http.CallAsync("get", $$"""["{{server.Url("/hop/5")}}"]""");

        Assert.Equal("arrived", result.GetProperty("data").GetString());
        Assert.Equal(6, server.Requests.Count);
    }

    [Fact]
    public async Task Get_SixthRedirect_IsRefused()
    {
        await using var server = HopServer();
        using var http = new HttpExtension(HttpTesting.Local);

        var error = await http.FailAsync("get", $$"""["{{server.Url("/hop/6")}}"]""");

        Assert.Equal(ErrorCodes.ExtensionError, error.Code);
        Assert.Contains("Too many redirects", error.Message);
        Assert.DoesNotContain(server.Requests, r => r.Path == "/hop/0");
    }

    [Fact]
    public async Task Get_MaxRedirectsZero_RefusesFirstRedirect()
    {
        await using var server = HopServer();
        using var http = new HttpExtension(HttpTesting.Local with { MaxRedirects = 0 });

        var error = await http.FailAsync("get", $$"""["{{server.Url("/hop/1")}}"]""");

        Assert.Contains("Too many redirects", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Post_SeeOther_FollowsWithGetAndNoBody()
    {
        await using var server = new TestHttpServer(x => x.Request.Path == "/form"
            ? x.RespondAsync("303 See Other", "", "Location: /done")
            : x.RespondAsync("200 OK", "done"));
        using var http = new HttpExtension(HttpTesting.Local);

        await http.CallAsync("post", $$"""["{{server.Url("/form")}}", {"a": 1}]""");

        var follow = server.Requests.Last();
        Assert.Equal("GET", follow.Method);
        Assert.Empty(follow.Body);
        Assert.Null(follow.Header("Content-Type"));
    }

    [Fact]
    public async Task Post_TemporaryRedirect_KeepsMethodAndBody()
    {
        await using var server = new TestHttpServer(x => x.Request.Path == "/old"
            ? x.RespondAsync("307 Temporary Redirect", "", "Location: /new")
            : x.RespondAsync("200 OK"));
        using var http = new HttpExtension(HttpTesting.Local);

        await http.CallAsync("post", $$"""["{{server.Url("/old")}}", {"a": 1}]""");

        var follow = server.Requests.Last();
        Assert.Equal("/new", follow.Path);
        Assert.Equal("POST", follow.Method);
        Assert.Equal("""{"a":1}""", follow.BodyText);
        Assert.Equal("application/json", follow.Header("Content-Type"));
    }

    [Fact]
    public async Task Get_RedirectToOtherOrigin_DropsCredentials()
    {
        await using var target = new TestHttpServer(x => x.RespondAsync("200 OK"));
        await using var origin = new TestHttpServer(x => x.Request.Path == "/same"
            ? x.RespondAsync("302 Found", "", "Location: /away")
            : x.RespondAsync("302 Found", "", $"Location: {target.Url("/landed")}"));
        using var http = new HttpExtension(HttpTesting.Local);

        await http.CallAsync("get",
            $$$"""["{{{origin.Url("/same")}}}", {"headers": {"Authorization": "Bearer s3cret", "X-Keep": "1"}}]""");

        Assert.All(origin.Requests, r => Assert.Equal("Bearer s3cret", r.Header("Authorization")));
        var landed = Assert.Single(target.Requests);
        Assert.Null(landed.Header("Authorization"));
        Assert.Equal("1", landed.Header("X-Keep"));
    }

    [Fact]
    public async Task Get_RedirectToDomainNotAllowed_IsRefused()
    {
        await using var server = new TestHttpServer(x =>
            x.RespondAsync("302 Found", "", "Location: http://elsewhere.example/steal"));
        using var http = new HttpExtension(HttpTesting.Local);

        var error = await http.FailAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal(ErrorCodes.ExtensionError, error.Code);
        Assert.StartsWith("Domain elsewhere.example is not in the allowed list", error.Message);
    }

    [Fact]
    public async Task Get_RedirectToFileScheme_IsRefused()
    {
        await using var server = new TestHttpServer(x =>
            x.RespondAsync("302 Found", "", "Location: file:///etc/passwd"));
        using var http = new HttpExtension(HttpTesting.Local);

        var error = await http.FailAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal("URL scheme 'file' is not allowed; only http and https are", error.Message);
    }

    [Fact]
    public async Task Get_RedirectToHostResolvingToMetadataAddress_IsRefusedBeforeConnecting()
    {
        await using var server = new TestHttpServer(x =>
            x.RespondAsync("302 Found", "", "Location: http://metadata.example.com/latest/"));
        var options = HttpTesting.Local with { AllowedDomains = ["127.0.0.1", "*.example.com"] };
        using var http = new HttpExtension(options, HttpTesting.Resolver(("metadata.example.com", "169.254.169.254")));

        var error = await http.FailAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal(
            "Request to metadata.example.com (169.254.169.254) refused: link-local addresses are blocked; " +
            "add the host to HTTP_ALLOWED_DOMAINS to allow it", error.Message);
    }
}
