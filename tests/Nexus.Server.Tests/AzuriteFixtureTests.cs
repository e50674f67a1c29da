using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nexus.Server.Durable;
using Nexus.Server.Tests.Tasks;
using Xunit.Abstractions;

namespace Nexus.Server.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzuriteFixtureTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task KillAndStart_EntitySaved_StateSurvives()
    {
        var taskHub = AzuriteFixture.NewTaskHubName();
        var counter = new EntityInstanceId(nameof(CounterEntity), "survivor");
        await using (var before = await TestHosts.StartAsync(azurite, taskHub, NullLoggerFactory.Instance))
        {
            await before.SignalEntityAsync(counter, nameof(CounterEntity.Add), 5);
            Assert.Equal(5, await PollAsync(before, counter, 5));
            await before.StopAsync(graceful: false);
        }

        await Task.Delay(AzuriteFixture.SaveInterval + TimeSpan.FromMilliseconds(500));

        CoreDurableHost? after = null;
        try
        {
            await azurite.KillAsync();
            Assert.False(azurite.IsRunning);
            await azurite.StartAsync();
            after = await TestHosts.StartAsync(azurite, taskHub, NullLoggerFactory.Instance);

            Assert.Equal(5, await after.GetEntityStateAsync<int>(counter));
            await after.SignalEntityAsync(counter, nameof(CounterEntity.Add), 1);
            Assert.Equal(6, await PollAsync(after, counter, 6));
        }
        finally
        {
            // The other tests of the collection need Azurite running, whatever happened here.
            if (!azurite.IsRunning)
            {
                await azurite.StartAsync();
            }

            if (after is not null)
            {
                await after.DeleteTaskHubAsync();
                await after.DisposeAsync();
            }
        }
    }

    private async Task<int> PollAsync(CoreDurableHost host, EntityInstanceId entity, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var value = await host.GetEntityStateAsync<int>(entity);
        while (value != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
            value = await host.GetEntityStateAsync<int>(entity);
        }

        output.WriteLine($"{entity} reads {value}");
        return value;
    }
}
