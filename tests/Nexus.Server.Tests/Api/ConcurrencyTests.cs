using System.Net;

namespace Nexus.Server.Tests.Api;

[Collection(NexusServerCollection.Name)]
public sealed class ConcurrencyTests(NexusServerFixture server)
{
    private const string Increment = "$state.count = ($state.count ?? 0) + 1; return $state.count;";

    [Fact]
    public async Task Trigger_200ConcurrentIncrementsOnOnePanel_LoseNoUpdate()
    {
        var id = await server.CreatePanelAsync(new { count = 0 }, ("inc", Increment));

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => server.TriggerAsync(id, "inc")));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        // Each run saw a distinct count: the entity ran them one at a time.
        Assert.Equal(Enumerable.Range(1, 200), results.Select(r => r.Body.GetProperty("returnValue").GetInt32()).Order());
        Assert.Equal(200, (await server.StateAsync(id)).GetProperty("count").GetInt32());
        var info = await NexusServerFixture.ReadAsync(await server.Client.GetAsync($"/panels/{id}"));
        Assert.Equal(200, info.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Trigger_50PanelsInParallel_StayIndependent()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            server.CreatePanelAsync(new { count = i * 1000 }, ("inc", Increment))));

        await Task.WhenAll(ids.SelectMany((id, i) => Enumerable.Range(0, i % 5 + 1).Select(_ => server.TriggerAsync(id, "inc"))));

        for (var i = 0; i < ids.Length; i++)
        {
            var state = await server.StateAsync(ids[i]);
            Assert.Equal(i * 1000 + i % 5 + 1, state.GetProperty("count").GetInt32());
        }
    }
}
