using System.Diagnostics;
using System.Text.Json;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;
using Nexus.Kernel.Json;

namespace Nexus.Kernel.Tests.Extensions;

public sealed class HttpExtensionTests
{
    [Theory]
    [InlineData("get", "GET")]
    [InlineData("delete", "DELETE")]
    [InlineData("head", "HEAD")]
    [InlineData("options", "OPTIONS")]
    public async Task CallAsync_MethodWithoutBody_SendsVerbAndOptionsHeaders(string method, string verb)
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK", "fine"));
        using var http = new HttpExtension(HttpTesting.Local);

        var result = await http.CallAsync(
            method, $$$"""["{{{server.Url("/thing?x=1")}}}", {"headers": {"X-Trace": "t1"}}]""");

        var request = Assert.Single(server.Requests);
        Assert.Equal(verb, request.Method);
        Assert.Equal("/thing?x=1", request.Path);
        Assert.Equal("t1", request.Header("X-Trace"));
        Assert.Empty(request.Body);
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal(verb == "HEAD" ? "" : "fine", result.GetProperty("data").GetString());
    }

    [Theory]
    [InlineData("post", "POST")]
    [InlineData("put", "PUT")]
    [InlineData("patch", "PATCH")]
    public async Task CallAsync_MethodWithObjectBody_SendsJsonWithContentType(string method, string verb)
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("201 Created"));
        using var http = new HttpExtension(HttpTesting.Local);

        var result = await http.CallAsync(
            method, $$$"""["{{{server.Url()}}}", {"name": "a", "n": [1, 2]}, {"headers": {"X-Trace": "t2"}}]""");

        var request = Assert.Single(server.Requests);
        Assert.Equal(verb, request.Method);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("t2", request.Header("X-Trace"));
        Assert.Equal("""{"name":"a","n":[1,2]}""", request.BodyText);
        Assert.Equal(201, result.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Post_NonAsciiObjectBody_SentUnescaped()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        using var http = new HttpExtension(HttpTesting.Local);

        await http.CallAsync("post", $$"""["{{server.Url()}}", {"city": "Zürich", "tag": "<b>"}]""");

        Assert.Equal("""{"city":"Zürich","tag":"<b>"}""", Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public async Task Post_StringBody_SentAsIsWithoutJsonContentType()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        using var http = new HttpExtension(HttpTesting.Local);

        await http.CallAsync("post", $$"""["{{server.Url()}}", "a=1&b=\"2\""]""");

        var request = Assert.Single(server.Requests);
        Assert.Equal("a=1&b=\"2\"", request.BodyText);
        Assert.Equal("text/plain; charset=utf-8", request.Header("Content-Type"));
    }

    [Fact]
    public async Task Post_CallerContentType_IsKept()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        using var http = new HttpExtension(HttpTesting.Local);

        await http.CallAsync("post",
            $$$"""["{{{server.Url()}}}", {"a": 1}, {"headers": {"content-type": "application/vnd.api+json"}}]""");

        var request = Assert.Single(server.Requests);
        Assert.Equal("application/vnd.api+json", request.Header("Content-Type"));
        Assert.Equal("""{"a":1}""", request.BodyText);
    }

    [Fact]
    public async Task Post_NoBody_SendsEmptyRequestWithoutContentType()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        using var http = new HttpExtension(HttpTesting.Local);

        await http.CallAsync("post", $$$"""["{{{server.Url()}}}", null, {"headers": {"X-A": "1"}}]""");

        var request = Assert.Single(server.Requests);
        Assert.Empty(request.Body);
        Assert.Null(request.Header("Content-Type"));
        Assert.Equal("1", request.Header("X-A"));
    }

    [Fact]
    public async Task Request_Config_UsesMethodBodyHeadersAndTimeout()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("202 Accepted", "queued"));
        using var http = new HttpExtension(HttpTesting.Local);

        var result = await http.CallAsync("request", $$"""
            [{"url": "{{server.Url("/jobs")}}", "method": "put", "body": [1, "two"],
              "headers": {"X-Job": "7"}, "timeout": 5000}]
            """);

        var request = Assert.Single(server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/jobs", request.Path);
        Assert.Equal("""[1,"two"]""", request.BodyText);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("7", request.Header("X-Job"));
        Assert.Equal("queued", result.GetProperty("data").GetString());
    }

    [Fact]
    public async Task Request_NoMethod_DefaultsToGet()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        using var http = new HttpExtension(HttpTesting.Local);

        await http.CallAsync("request", $$"""[{"url": "{{server.Url()}}"}]""");

        Assert.Equal("GET", Assert.Single(server.Requests).Method);
    }

    [Fact]
    public async Task Request_ConfigTimeout_Applies()
    {
        await using var server = new TestHttpServer(async x => await Task.Delay(Timeout.Infinite, x.Stopping));
        using var http = new HttpExtension(HttpTesting.Local);

        var error = await http.FailAsync("request", $$"""[{"url": "{{server.Url()}}", "timeout": 150}]""");

        Assert.Equal(ErrorCodes.ExtensionTimeout, error.Code);
        Assert.Equal("Request timeout after 150ms", error.Message);
    }

    [Fact]
    public async Task Get_DefaultUserAgent_IsNexusRuntime()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        using var http = new HttpExtension(HttpTesting.Local);

        await http.CallAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal("Nexus-Runtime/1.0", Assert.Single(server.Requests).Header("User-Agent"));
    }

    [Fact]
    public async Task Get_CallerUserAgent_ReplacesDefault()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        using var http = new HttpExtension(HttpTesting.Local);

        await http.CallAsync("get", $$$"""["{{{server.Url()}}}", {"headers": {"user-agent": "mine/2"}}]""");

        Assert.Equal("mine/2", Assert.Single(server.Requests).Header("User-Agent"));
    }

    [Fact]
    public async Task Get_JsonResponse_DataIsParsed()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync(
            "200 OK", """{"items": [1, 2], "next": null}""", "Content-Type: application/json; charset=utf-8"));
        using var http = new HttpExtension(HttpTesting.Local);

        var result = await http.CallAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal("OK", result.GetProperty("statusText").GetString());
        Assert.True(result.GetProperty("ok").GetBoolean());
        var data = result.GetProperty("data");
        Assert.Equal(JsonValueKind.Object, data.ValueKind);
        Assert.Equal(2, data.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Get_JsonVariantContentType_DataIsParsed()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync(
            "400 Bad Request", """{"title": "bad"}""", "Content-Type: application/problem+json"));
        using var http = new HttpExtension(HttpTesting.Local);

        var result = await http.CallAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal("bad", result.GetProperty("data").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Get_TextResponse_DataIsTextEvenIfItLooksLikeJson()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync(
            "200 OK", """{"a": 1}""", "Content-Type: text/plain; charset=utf-8"));
        using var http = new HttpExtension(HttpTesting.Local);

        var result = await http.CallAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal("""{"a": 1}""", result.GetProperty("data").GetString());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"a": 1} trailing""")]
    public async Task Get_InvalidJsonResponse_Fails(string body)
    {
        await using var server = new TestHttpServer(x =>
            x.RespondAsync("200 OK", body, "Content-Type: application/json"));
        using var http = new HttpExtension(HttpTesting.Local);

        var error = await http.FailAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal(ErrorCodes.ExtensionError, error.Code);
        Assert.Contains("is not valid JSON", error.Message);
    }

    [Fact]
    public async Task Head_JsonContentType_DataIsNull()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync(
            "200 OK", """{"a": 1}""", "Content-Type: application/json"));
        using var http = new HttpExtension(HttpTesting.Local);

        var result = await http.CallAsync("head", $$"""["{{server.Url()}}"]""");

        Assert.Equal(JsonValueKind.Null, result.GetProperty("data").ValueKind);
        Assert.Equal("application/json", result.GetProperty("headers").GetProperty("content-type").GetString());
    }

    [Fact]
    public async Task Get_ResponseHeaders_AreLowerCasedAndRepeatsJoined()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync(
            "200 OK", "x", "X-Request-ID: abc", "X-Multi: one", "X-Multi: two", "Content-Type: text/plain"));
        using var http = new HttpExtension(HttpTesting.Local);

        var result = await http.CallAsync("get", $$"""["{{server.Url()}}"]""");

        var headers = result.GetProperty("headers");
        Assert.Equal("abc", headers.GetProperty("x-request-id").GetString());
        Assert.Equal("one, two", headers.GetProperty("x-multi").GetString());
        Assert.Equal("text/plain", headers.GetProperty("content-type").GetString());
        Assert.Equal("1", headers.GetProperty("content-length").GetString());
        Assert.All(headers.EnumerateObject(), h => Assert.Equal(h.Name.ToLowerInvariant(), h.Name));
    }

    [Fact]
    public async Task Get_NotFound_IsAResultNotAnError()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("404 Not Here", "missing"));
        using var http = new HttpExtension(HttpTesting.Local);

        var result = await http.CallAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal(404, result.GetProperty("status").GetInt32());
        Assert.Equal("Not Here", result.GetProperty("statusText").GetString());
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal("missing", result.GetProperty("data").GetString());
    }

    [Fact]
    public async Task Get_ServerError_IsAResultNotAnError()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("503 Service Unavailable"));
        using var http = new HttpExtension(HttpTesting.Local);

        var result = await http.CallAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal(503, result.GetProperty("status").GetInt32());
        Assert.False(result.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Get_BodyStallsAfterHeaders_TimesOut()
    {
        var headersSent = new TaskCompletionSource();
        await using var server = new TestHttpServer(async x =>
        {
            await x.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\npartial");
            headersSent.SetResult();
            await Task.Delay(Timeout.Infinite, x.Stopping);
        });
        using var http = new HttpExtension(HttpTesting.Local);
        var clock = Stopwatch.StartNew();

        var error = await http.FailAsync("get", $$"""["{{server.Url()}}", {"timeout": 300}]""");

        Assert.True(headersSent.Task.IsCompleted);
        Assert.Equal(ErrorCodes.ExtensionTimeout, error.Code);
        Assert.Equal("Request timeout after 300ms", error.Message);
        Assert.InRange(clock.ElapsedMilliseconds, 250, 5000);
    }

    [Fact]
    public async Task Get_NoCallerTimeout_UsesDefaultTimeout()
    {
        await using var server = new TestHttpServer(async x =>
        {
            await x.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab");
            await Task.Delay(Timeout.Infinite, x.Stopping);
        });
        using var http = new HttpExtension(HttpTesting.Local with { DefaultTimeoutMs = 200 });

        var error = await http.FailAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal(ErrorCodes.ExtensionTimeout, error.Code);
        Assert.Equal("Request timeout after 200ms", error.Message);
    }

    [Fact]
    public async Task Get_DeclaredLengthOverLimit_Fails()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK", new string('a', 2000)));
        using var http = new HttpExtension(HttpTesting.Local with { MaxResponseBytes = 1000 });

        var error = await http.FailAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal(ErrorCodes.ExtensionError, error.Code);
        Assert.Contains("exceeds the response size limit of 1000 bytes", error.Message);
    }

    [Fact]
    public async Task Get_UndeclaredLengthOverLimit_FailsWhileReading()
    {
        // No Content-Length: the body runs until the connection closes, so only counting can catch it.
        await using var server = new TestHttpServer(async x =>
        {
            await x.WriteAsync("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
            for (var i = 0; i < 20; i++)
            {
                await x.WriteAsync(new string('a', 500));
            }
        });
        using var http = new HttpExtension(HttpTesting.Local with { MaxResponseBytes = 1000 });

        var error = await http.FailAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Contains("exceeds the response size limit of 1000 bytes", error.Message);
    }

    [Fact]
    public async Task Get_ResponseExactlyAtLimit_Succeeds()
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK", new string('a', 1000)));
        using var http = new HttpExtension(HttpTesting.Local with { MaxResponseBytes = 1000 });

        var result = await http.CallAsync("get", $$"""["{{server.Url()}}"]""");

        Assert.Equal(1000, result.GetProperty("data").GetString()!.Length);
    }

    [Fact]
    public async Task Get_ConnectionRefused_FailsWithExtensionError()
    {
        var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        var url = server.Url();
        await server.DisposeAsync();
        using var http = new HttpExtension(HttpTesting.Local);

        var error = await http.FailAsync("get", $$"""["{{url}}"]""");

        Assert.Equal(ErrorCodes.ExtensionError, error.Code);
        Assert.StartsWith($"GET {url} failed:", error.Message);
    }

    [Fact]
    public async Task CallAsync_UnknownMethod_FailsWithMethodNotFound()
    {
        using var http = new HttpExtension(HttpTesting.Local);

        var error = await http.FailAsync("fetch", """["http://127.0.0.1/"]""");

        Assert.Equal(ErrorCodes.MethodNotFound, error.Code);
        Assert.Equal("Method 'fetch' not found on extension 'http'", error.Message);
    }

    [Theory]
    [InlineData("get", "[]", "http.get expects the URL as a string")]
    [InlineData("get", "[42]", "http.get expects the URL as a string")]
    [InlineData("get", """["http://127.0.0.1/", "opts"]""", "http.get expects options to be an object")]
    [InlineData("get", """["http://127.0.0.1/", {"headers": {"a": {}}}]""", "http.get expects header 'a'")]
    [InlineData("get", """["http://127.0.0.1/", {"timeout": -1}]""", "http.get expects timeout")]
    [InlineData("get", """["http://127.0.0.1/", {"timeout": 1.5}]""", "http.get expects timeout")]
    [InlineData("request", """["http://127.0.0.1/"]""", "http.request expects a config object")]
    [InlineData("request", """[{"url": "http://127.0.0.1/", "method": "BAD METHOD"}]""", "Invalid HTTP method")]
    [InlineData("get", """["not a url"]""", "Invalid URL 'not a url'")]
    public async Task CallAsync_MalformedArguments_FailWithoutSending(string method, string args, string expected)
    {
        await using var server = new TestHttpServer(x => x.RespondAsync("200 OK"));
        using var http = new HttpExtension(HttpTesting.Local);

        var error = await http.FailAsync(method, args.Replace("http://127.0.0.1/", server.Url()));

        Assert.Equal(ErrorCodes.ExtensionError, error.Code);
        Assert.StartsWith(expected, error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task CallAsync_CallerCancels_PropagatesCancellation()
    {
        await using var server = new TestHttpServer(async x => await Task.Delay(Timeout.Infinite, x.Stopping));
        using var http = new HttpExtension(HttpTesting.Local);
        using var cancel = new CancellationTokenSource(100);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http
            .CallAsync("get", NexusJson.Parse($$"""["{{server.Url()}}"]"""), cancel.Token)
            .WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
