using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Nexus.Server.Tests.Api;

[Collection(NexusServerCollection.Name)]
public sealed class PanelsApiTests(NexusServerFixture server)
{
    private const string Increment = "$state.count = ($state.count ?? 0) + 1; return $state.count;";
    private HttpClient Client => server.Client;

    [Fact]
    public async Task Create_ValidDefinition_Returns201WithIdStatusVersionAndHubUrl()
    {
        var response = await Client.PostAsJsonAsync("/panels", new
        {
            id = "created-" + Guid.NewGuid().ToString("N")[..8],
            kind = "counter",
            title = "Counter",
            initialState = new { count = 5 },
            tools = new[] { new { name = "inc", handler = Increment, trigger = new { type = "manual" } } },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await NexusServerFixture.ReadAsync(response);
        Assert.StartsWith("created-", body.GetProperty("id").GetString());
        Assert.Equal("running", body.GetProperty("status").GetString());
        Assert.Equal(0, body.GetProperty("version").GetInt64());
        Assert.EndsWith("/hubs/nexus", body.GetProperty("hubUrl").GetString());
        var state = await server.StateAsync(body.GetProperty("id").GetString()!);
        Assert.Equal(5, state.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Create_WithoutId_GeneratesPanelPrefixedId()
    {
        var response = await Client.PostAsJsonAsync("/panels", new { kind = "k", tools = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await NexusServerFixture.ReadAsync(response)).GetProperty("id").GetString()!;
        Assert.Matches("^panel_[0-9a-f]{8}$", id);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/panels/{id}")).StatusCode);
    }

    [Fact]
    public async Task Create_DuplicateId_Returns409AndKeepsTheExistingPanel()
    {
        var id = await server.CreatePanelAsync(new { count = 1 }, ("inc", Increment));

        var response = await Client.PostAsJsonAsync("/panels", new { id, kind = "other", initialState = new { count = 99 }, tools = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("PANEL_EXISTS", ErrorCode(await NexusServerFixture.ReadAsync(response)));
        Assert.Equal(1, (await server.StateAsync(id)).GetProperty("count").GetInt32());
    }

    public static TheoryData<string, string> InvalidDefinitions => new()
    {
        { """{"tools":[]}""", "kind" },
        { """{"kind":"k"}""", "tools" },
        { """{"kind":"k","tools":[{"name":"a","handler":"return 1","trigger":{"type":"manual"}},{"name":"a","handler":"return 2","trigger":{"type":"manual"}}]}""", "tools[1].name" },
        { """{"kind":"k","tools":[{"name":"a","handler":"return 1","trigger":{"type":"sometimes"}}]}""", "tools[0].trigger.type" },
        { """{"kind":"k","tools":[{"name":"a","handler":"return 1","trigger":{"type":"interval"}}]}""", "tools[0].trigger.ms" },
        { """{"kind":"k","tools":[{"name":"a","handler":"return 1","trigger":{"type":"cron"}}]}""", "tools[0].trigger.expression" },
        { """{"kind":"k","capabilities":["state:read"],"tools":[]}""", "capabilities[0]" },
        { """{"kind":"k","tools":[{"name":"a","handler":"return 1","trigger":{"type":"manual"},"capabilities":["fs:write:*"]}]}""", "tools[0].capabilities[0]" },
        { """{"kind":"k","tools":[{"name":"a","handler":"let x = ;","trigger":{"type":"manual"}}]}""", "tools[0].handler" },
        { """{"kind":"k","tools":[{"name":"","handler":"return 1","trigger":{"type":"manual"}}]}""", "tools[0].name" },
        { """{"id":"has spaces","kind":"k","tools":[]}""", "id" },
    };

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public async Task Create_InvalidDefinition_Returns400NamingTheFieldAndCreatesNothing(string definition, string path)
    {
        var id = "bad" + Guid.NewGuid().ToString("N")[..8];
        var json = definition.Contains("\"id\"", StringComparison.Ordinal) ? definition : definition.Insert(1, $"\"id\":\"{id}\",");

        var response = await PostJsonAsync("/panels", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await NexusServerFixture.ReadAsync(response);
        Assert.Equal("INVALID_DEFINITION", ErrorCode(body));
        var details = body.GetProperty("error").GetProperty("details");
        Assert.Contains(details.EnumerateArray(), d => d.GetProperty("path").GetString() == path);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/panels/{id}")).StatusCode);
    }

    [Fact]
    public async Task Create_HandlerOverTheSizeLimit_Returns400()
    {
        var handler = "// " + new string('x', 300 * 1024) + "\nreturn 1;";
        var response = await Client.PostAsJsonAsync("/panels", new
        {
            kind = "k",
            tools = new[] { new { name = "big", handler, trigger = new { type = "manual" } } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await NexusServerFixture.ReadAsync(response);
        Assert.Contains("tools[0].handler", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{bad json", "MALFORMED_JSON")]
    [InlineData("[1,2]", "INVALID_BODY")]
    [InlineData("""{"kind": 5, "tools": []}""", "INVALID_BODY")]
    public async Task Create_BadBody_Returns400WithItsCode(string body, string code)
    {
        var response = await PostJsonAsync("/panels", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, ErrorCode(await NexusServerFixture.ReadAsync(response)));
    }

    [Fact]
    public async Task Create_BodyOverTheLimit_Returns413()
    {
        var json = $$"""{"kind":"k","tools":[],"metadata":"{{new string('x', 600 * 1024)}}"}""";

        var response = await PostJsonAsync("/panels", json);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", ErrorCode(await NexusServerFixture.ReadAsync(response)));
    }

    [Fact]
    public async Task Create_NotJson_Returns415()
    {
        var response = await Client.PostAsync("/panels", new StringContent("kind=k", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task List_WithTop_PagesThroughEveryPanelOnce()
    {
        var mine = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add(await server.CreatePanelAsync(null, ("inc", Increment)));
        }

        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var url = "/panels?top=2" + (continuation is null ? "" : "&continuation=" + Uri.EscapeDataString(continuation));
            var page = await NexusServerFixture.ReadAsync(await Client.GetAsync(url));
            var panels = page.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
            Assert.True(panels.Count <= 2);
            Assert.True(page.GetProperty("total").GetInt32() >= 3);
            seen.AddRange(panels);
            continuation = page.TryGetProperty("continuation", out var c) ? c.GetString() : null;
            pages++;
        }
        while (continuation is not null && pages < 1000);

        Assert.Superset(mine, seen.ToHashSet());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Get_ExistingPanel_ReturnsItsInfo()
    {
        var id = await server.CreatePanelAsync(new { count = 2 }, ("inc", Increment), ("other", "return 0;"));

        var info = await NexusServerFixture.ReadAsync(await Client.GetAsync($"/panels/{id}"));

        Assert.Equal(id, info.GetProperty("id").GetString());
        Assert.Equal("running", info.GetProperty("status").GetString());
        Assert.Equal(2, info.GetProperty("state").GetProperty("count").GetInt32());
        Assert.Equal(["inc", "other"], info.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData("/panels/nope-{0}")]
    [InlineData("/panels/nope-{0}/state")]
    [InlineData("/panels/nope-{0}/runs/r1")]
    public async Task Get_UnknownPanel_Returns404(string pattern)
    {
        var response = await Client.GetAsync(string.Format(pattern, Guid.NewGuid().ToString("N")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("PANEL_NOT_FOUND", ErrorCode(await NexusServerFixture.ReadAsync(response)));
    }

    [Fact]
    public async Task GetState_AfterTriggers_ReturnsRawStateWithVersionAsETag()
    {
        var id = await server.CreatePanelAsync(null, ("inc", Increment));
        await server.TriggerAsync(id, "inc");
        await server.TriggerAsync(id, "inc");

        var response = await Client.GetAsync($"/panels/{id}/state");

        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal(2, (await NexusServerFixture.ReadAsync(response)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Delete_ExistingPanel_Returns204ThenThePanelIsGone()
    {
        var id = await server.CreatePanelAsync(null, ("inc", Increment));

        var first = await Client.DeleteAsync($"/panels/{id}");
        var second = await Client.DeleteAsync($"/panels/{id}");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/panels/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.TriggerAsync(id, "inc")).Status);
    }

    [Fact]
    public async Task Trigger_Success_Returns200WithTheResultAndAppliesIt()
    {
        var id = await server.CreatePanelAsync(new { count = 10 }, ("inc", "$state.count += $args.by; $emit('bumped', { by: $args.by }); return $state.count;"));

        var (status, result) = await server.TriggerAsync(id, "inc", new { by = 5 });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", result.GetProperty("status").GetString());
        Assert.Equal(15, result.GetProperty("returnValue").GetInt32());
        Assert.Equal("bumped", result.GetProperty("events")[0].GetProperty("name").GetString());
        Assert.Equal(15, (await server.StateAsync(id)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Trigger_UnknownTool_Returns404AndChangesNothing()
    {
        var id = await server.CreatePanelAsync(new { count = 1 }, ("inc", Increment));

        var (status, body) = await server.TriggerAsync(id, "missing");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("TOOL_NOT_FOUND", ErrorCode(body));
        Assert.Equal(1, (await server.StateAsync(id)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Trigger_UnknownPanel_Returns404()
    {
        var (status, body) = await server.TriggerAsync("ghost" + Guid.NewGuid().ToString("N")[..8], "inc");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("PANEL_NOT_FOUND", ErrorCode(body));
    }

    [Fact]
    public async Task Trigger_MalformedArgs_Returns400AndRunsNothing()
    {
        var id = await server.CreatePanelAsync(new { count = 1 }, ("inc", Increment));

        var response = await PostJsonAsync($"/panels/{id}/trigger/inc", "{oops");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, (await server.StateAsync(id)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Trigger_HandlerThrows_Returns200ErrorResultAndAppliesNothing()
    {
        var id = await server.CreatePanelAsync(new { count = 1 }, ("fail", "$state.count = 100; $emit('x', 1); throw new Error('nope');"));

        var (status, result) = await server.TriggerAsync(id, "fail");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("error", result.GetProperty("status").GetString());
        Assert.Equal("EXECUTION_ERROR", result.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(result.GetProperty("stateMutations").EnumerateArray());
        Assert.Equal(1, (await server.StateAsync(id)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task GetRun_FinishedRun_ReturnsItsStatusAndReturnValue()
    {
        var id = await server.CreatePanelAsync(null, ("inc", Increment));
        var (_, result) = await server.TriggerAsync(id, "inc");
        var runId = result.GetProperty("executionId").GetString();

        var run = await NexusServerFixture.ReadAsync(await Client.GetAsync($"/panels/{id}/runs/{runId}"));
        var unknown = await Client.GetAsync($"/panels/{id}/runs/nope");

        Assert.Equal("success", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("returnValue").GetInt32());

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("RUN_NOT_FOUND", ErrorCode(await NexusServerFixture.ReadAsync(unknown)));
    }

    [Fact]
    public async Task UnknownRoute_Returns404AsJson()
    {
        var response = await Client.GetAsync("/no/such/route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ROUTE_NOT_FOUND", ErrorCode(await NexusServerFixture.ReadAsync(response)));
    }

    [Fact]
    public async Task Health_WithStorageUp_IsHealthyWithSandboxStats()
    {
        var body = await NexusServerFixture.ReadAsync(await Client.GetAsync("/health"));

        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("reachable", body.GetProperty("storage").GetString());
        Assert.True(body.GetProperty("sandbox").GetProperty("maxInstances").GetInt32() > 0);
        Assert.True(body.GetProperty("uptime").GetInt64() > 0);
    }

    [Fact]
    public async Task Metrics_AfterRuns_CountsThemByStatusAndCode()
    {
        var id = await server.CreatePanelAsync(null, ("ok", "return 1;"), ("bad", "throw new Error('x');"));
        await server.TriggerAsync(id, "ok");
        await server.TriggerAsync(id, "bad");

        var text = await Client.GetStringAsync("/metrics");

        Assert.Matches("nexus_runs_total\\{status=\"success\",code=\"\"\\} [1-9]", text);
        Assert.Matches("nexus_runs_total\\{status=\"error\",code=\"EXECUTION_ERROR\"\\} [1-9]", text);
        Assert.Contains("nexus_run_duration_seconds_bucket", text);
        Assert.Matches("nexus_http_requests_total\\{method=\"POST\",route=\"/panels/\\{id\\}/trigger/\\{tool\\}\",status=\"200\"\\} [1-9]", text);
    }

    [Fact]
    public async Task Preflight_FromAnyOrigin_IsAllowedByTheWildcardDefault()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/panels");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");

        var response = await Client.SendAsync(preflight);

        Assert.True(response.IsSuccessStatusCode, $"preflight answered {response.StatusCode}");
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    private Task<HttpResponseMessage> PostJsonAsync(string url, string json) =>
        Client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private static string? ErrorCode(JsonElement body) => body.GetProperty("error").GetProperty("code").GetString();
}
