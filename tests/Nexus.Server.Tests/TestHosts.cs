using Microsoft.Extensions.Logging;
using Nexus.Server.Durable;
using Nexus.Server.Tests.Tasks;

namespace Nexus.Server.Tests;

/// <summary>Starts durable hosts running the test task classes on an Azurite fixture.</summary>
public static class TestHosts
{
    public static Task<CoreDurableHost> StartAsync(AzuriteFixture azurite, string taskHub, ILoggerFactory logs) =>
        CoreDurableHost.StartAsync(
            new DurableBackendOptions { ConnectionString = azurite.ConnectionString, TaskHubName = taskHub },
            new DurableTaskCatalog()
                .AddEntity<CounterEntity>()
                .AddEntity<LauncherEntity>()
                .AddOrchestrator<EchoOrchestrator>()
                .AddOrchestrator<RaceOrchestrator>()
                .AddOrchestrator<SleepOrchestrator>()
                .AddActivity<GatedActivity>(),
            logs);
}
