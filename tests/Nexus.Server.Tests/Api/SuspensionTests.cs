using System.Net;
using System.Text.Json;

namespace Nexus.Server.Tests.Api;

[Collection(NexusServerCollection.Name)]
public sealed class SuspensionTests(NexusServerFixture server)
{
    [Fact]
    public async Task Trigger_TwoSlowExtensionCalls_CompletesWithBothResultsAndAppliesEachEffectOnce()
    {
        var url = server.Endpoint.BaseUrl;
        var id = await server.CreatePanelAsync(new { steps = 0 }, ("fetch", $$"""
            $state.steps += 1;
            const a = await $ext.http.get('{{url}}/delay/300?v=first');
            $state.steps += 1;
            const b = await $ext.http.get('{{url}}/delay/300?v=second');
            $state.steps += 1;
            $state.got = [a.data.v, b.data.v];
            return $state.got;
            """));

        var (status, result) = await server.TriggerAsync(id, "fetch");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", result.GetProperty("status").GetString());
        Assert.Equal(["first", "second"], result.GetProperty("returnValue").EnumerateArray().Select(v => v.GetString()));
        // The caller sees every effect of the run once, across both suspensions.
        Assert.Equal(4, result.GetProperty("stateMutations").GetArrayLength());
        var state = await server.StateAsync(id);
        Assert.Equal(3, state.GetProperty("steps").GetInt32());
        var info = await NexusServerFixture.ReadAsync(await server.Client.GetAsync($"/panels/{id}"));
        Assert.Equal(3, info.GetProperty("version").GetInt64());
        Assert.Equal("running", info.GetProperty("status").GetString());
        Assert.Equal(1, server.Endpoint.Calls("first"));
        Assert.Equal(1, server.Endpoint.Calls("second"));
    }

    [Fact]
    public async Task Trigger_CallSlowerThanTheSuspensionTimeout_ResumesWithACatchableTimeout()
    {
        var key = "never-" + Guid.NewGuid().ToString("N")[..8];
        var id = await server.CreatePanelAsync(null, ("wait", $$"""
            $state.started = true;
            try {
              await $ext.http.get('{{server.Endpoint.BaseUrl}}/hold/{{key}}', { timeout: 60000 });
              $state.outcome = 'answered';
            } catch (e) {
              $state.outcome = e.code;
              $state.message = e.message;
            } finally {
              $state.finished = true;
            }
            return $state.outcome;
            """));

        var (status, result) = await server.TriggerAsync(id, "wait");
        server.Endpoint.Release(key);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("EXTENSION_TIMEOUT", result.GetProperty("returnValue").GetString());
        var state = await server.StateAsync(id);
        Assert.True(state.GetProperty("started").GetBoolean());
        Assert.True(state.GetProperty("finished").GetBoolean());
        Assert.Contains($"timed out after {NexusServerFixture.SuspensionTimeoutMs} ms", state.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Trigger_WhileAnotherRunIsSuspended_RunsAndTheResumedRunReadsCurrentState()
    {
        var key = "gate-" + Guid.NewGuid().ToString("N")[..8];
        var id = await server.CreatePanelAsync(new { count = 0 },
            ("slow", $$"""
                const before = $state.count;
                await $ext.http.get('{{server.Endpoint.BaseUrl}}/hold/{{key}}');
                $state.seenAfter = $state.count;
                $state.count += 100;
                return before;
                """),
            ("inc", "$state.count += 1; return $state.count;"));

        var slow = server.TriggerAsync(id, "slow");
        await WaitUntilAsync(() => server.Endpoint.Calls(key) == 1);
        var info = await NexusServerFixture.ReadAsync(await server.Client.GetAsync($"/panels/{id}"));
        Assert.Equal("suspended", info.GetProperty("status").GetString());
        var (incStatus, inc) = await server.TriggerAsync(id, "inc");
        server.Endpoint.Release(key);
        var (slowStatus, slowResult) = await slow;

        Assert.Equal(HttpStatusCode.OK, incStatus);
        Assert.Equal(1, inc.GetProperty("returnValue").GetInt32());
        Assert.Equal(HttpStatusCode.OK, slowStatus);
        Assert.Equal(0, slowResult.GetProperty("returnValue").GetInt32());
        var state = await server.StateAsync(id);
        Assert.Equal(1, state.GetProperty("seenAfter").GetInt32());
        Assert.Equal(101, state.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Delete_WhileARunIsSuspended_CancelsTheRun()
    {
        var key = "deleted-" + Guid.NewGuid().ToString("N")[..8];
        var id = await server.CreatePanelAsync(null, ("slow", $"await $ext.http.get('{server.Endpoint.BaseUrl}/hold/{key}'); $state.after = true;"));
        var run = server.TriggerAsync(id, "slow");
        await WaitUntilAsync(() => server.Endpoint.Calls(key) == 1);

        var deleted = await server.Client.DeleteAsync($"/panels/{id}");
        server.Endpoint.Release(key);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/panels/{id}")).StatusCode);
        var (status, result) = await run;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("error", result.GetProperty("status").GetString());
        Assert.Equal("CANCELLED", result.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Trigger_CustomExtensionRegisteredThroughDependencyInjection_IsCalled()
    {
        var id = await server.CreatePanelAsync(null, ("echo", """
            const said = await $ext.echo.say('hello', 42);
            let missing;
            try { await $ext.nope.call(); } catch (e) { missing = e.code; }
            return { said, missing, known: $ext.list() };
            """));

        var (status, result) = await server.TriggerAsync(id, "echo");

        Assert.Equal(HttpStatusCode.OK, status);
        var value = result.GetProperty("returnValue");
        Assert.Equal("[\"hello\",42]", value.GetProperty("said").GetRawText());
        Assert.Equal("EXTENSION_NOT_FOUND", value.GetProperty("missing").GetString());
        Assert.Contains("echo", value.GetProperty("known").EnumerateArray().Select(e => e.GetString()));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 20 s.");
            await Task.Delay(20);
        }
    }
}
