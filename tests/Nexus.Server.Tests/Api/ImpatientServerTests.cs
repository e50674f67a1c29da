using System.Net;
using System.Net.Http.Json;

namespace Nexus.Server.Tests.Api;

/// <summary>A server that waits only 200 ms for a run and holds at most two panels.</summary>
public sealed class ImpatientServerFixture : NexusServerFixture
{
    protected override void Configure(Dictionary<string, string> environment)
    {
        environment["TRIGGER_WAIT_MS"] = "200";
        environment["MAX_PANELS"] = "2";
    }
}

public sealed class ImpatientServerTests(ImpatientServerFixture server) : IClassFixture<ImpatientServerFixture>
{
    [Fact]
    public async Task Trigger_RunLongerThanTheWait_Returns202WithLocationThatLaterShowsTheResult()
    {
        var id = await server.CreatePanelAsync(null, ("slow", $$"""
            const r = await $ext.http.get('{{server.Endpoint.BaseUrl}}/delay/1500?v=late');
            $state.v = r.data.v;
            return r.data.v;
            """));

        var response = await server.Client.PostAsJsonAsync($"/panels/{id}/trigger/slow", new { });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await NexusServerFixture.ReadAsync(response);
        Assert.Equal("suspended", accepted.GetProperty("status").GetString());
        var location = response.Headers.Location!.ToString();
        Assert.Equal(accepted.GetProperty("statusUrl").GetString(), location);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var run = await NexusServerFixture.ReadAsync(await server.Client.GetAsync(location));
            if (run.GetProperty("status").GetString() == "success")
            {
                Assert.Equal("late", run.GetProperty("returnValue").GetString());
                break;
            }
            Assert.Equal("suspended", run.GetProperty("status").GetString());
            Assert.True(DateTime.UtcNow < deadline, "The run did not finish within 20 s.");
            await Task.Delay(100);
        }
        Assert.Equal("late", (await server.StateAsync(id)).GetProperty("v").GetString());
    }

    [Fact]
    public async Task Create_BeyondMaxPanels_Returns429()
    {
        var created = new List<string>();
        try
        {
            HttpResponseMessage response;
            while ((response = await server.Client.PostAsJsonAsync("/panels", new { kind = "k", tools = Array.Empty<object>() }))
                   .StatusCode == HttpStatusCode.Created && created.Count < 10)
            {
                created.Add((await NexusServerFixture.ReadAsync(response)).GetProperty("id").GetString()!);
            }

            Assert.Equal((HttpStatusCode)429, response.StatusCode);
            Assert.True(created.Count <= 2);
            Assert.Equal("TOO_MANY_PANELS", (await NexusServerFixture.ReadAsync(response)).GetProperty("error").GetProperty("code").GetString());
        }
        finally
        {
            // The other test of this class needs a free slot.
            foreach (var id in created)
            {
                await server.Client.DeleteAsync($"/panels/{id}");
            }
        }
    }
}
