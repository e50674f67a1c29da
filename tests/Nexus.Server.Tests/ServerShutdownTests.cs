using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nexus.Server.Configuration;
using Nexus.Server.Hosting;
using Xunit.Abstractions;

namespace Nexus.Server.Tests;

/// <summary>The server stops within the host's shutdown timeout, even when storage no longer answers.</summary>
/// <remarks>In the durability collection because it kills Azurite.</remarks>
[Collection(DurabilityCollection.Name)]
public sealed class ServerShutdownTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task StopAsync_StorageDown_EndsWithinShutdownTimeout()
    {
        var shutdownTimeout = TimeSpan.FromSeconds(2);
        var environment = new Dictionary<string, string>
        {
            ["HTTP_PORT"] = $"{AzuriteFixture.FreePorts(1)[0]}",
            ["HOST"] = "127.0.0.1",
            ["NEXUS_STORAGE"] = azurite.ConnectionString,
            ["NEXUS_TASK_HUB"] = AzuriteFixture.NewTaskHubName(),
        };
        var builder = WebApplication.CreateSlimBuilder()
            .AddNexusServer(NexusServerOptionsLoader.Load(new EnvironmentReader(environment.GetValueOrDefault)));
        builder.Logging.ClearProviders().AddProvider(new XunitLoggerProvider(output, LogLevel.Warning));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout);
        await using var app = builder.Build().UseNexusServer();
        await app.StartAsync();
        try
        {
            // A graceful stop releases the partition lease in storage, and retries for as long as storage is down.
            await azurite.KillAsync();
            var clock = Stopwatch.StartNew();
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

            output.WriteLine($"stopped in {clock.ElapsedMilliseconds} ms with storage down");
            Assert.True(clock.Elapsed < shutdownTimeout + TimeSpan.FromSeconds(3), $"the stop took {clock.Elapsed}");
        }
        finally
        {
            // The other tests of the collection need Azurite, whatever happened here.
            if (!azurite.IsRunning)
            {
                await azurite.StartAsync();
            }
        }
    }
}
