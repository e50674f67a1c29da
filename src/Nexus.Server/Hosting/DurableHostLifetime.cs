using Microsoft.Extensions.Hosting;
using Nexus.Server.Durable;
using Nexus.Server.Panels;

namespace Nexus.Server.Hosting;

/// <summary>Starts the durable backend with the server (so a bad connection fails start-up) and stops it after.</summary>
internal sealed class DurableHostLifetime(IServiceProvider services) : IHostedService
{
    private CoreDurableHost? _host;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _host = (CoreDurableHost)services.GetService(typeof(CoreDurableHost))!;
        var counter = (PanelCounter)services.GetService(typeof(PanelCounter))!;
        counter.Reset(await _host.CountEntitiesAsync(Nexus.Kernel.Durable.PanelEntity.EntityName, cancellationToken));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
