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

    /// <remarks>
    /// The graceful stop releases the partition lease in storage and retries while storage does not answer (DTFx
    /// gives up only after 10 minutes). Once the host's shutdown timeout cancels <paramref name="cancellationToken"/>
    /// the server stops waiting: a restart then takes over when the lease expires, and unfinished work items reappear
    /// after their visibility timeout. The container disposes the host.
    /// </remarks>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is null)
        {
            return;
        }
        try
        {
            await _host.StopAsync().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown timeout reached: see the remarks.
        }
    }
}
