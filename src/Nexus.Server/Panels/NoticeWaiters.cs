using System.Collections.Concurrent;
using System.Threading.Channels;
using Nexus.Kernel.Durable;

namespace Nexus.Server.Panels;

/// <summary>Lets a request wait for the notices its entity operation produces, matched by request id.</summary>
public sealed class NoticeWaiters : IPanelNoticeSink
{
    private readonly ConcurrentDictionary<string, Channel<PanelNotice>> _waiting = new(StringComparer.Ordinal);

    /// <summary>Starts listening for <paramref name="requestId"/>; register before sending the operation.</summary>
    public Waiter Register(string requestId)
    {
        var channel = Channel.CreateUnbounded<PanelNotice>(new UnboundedChannelOptions { SingleReader = true });
        _waiting[requestId] = channel;
        return new Waiter(this, requestId, channel.Reader);
    }

    /// <inheritdoc/>
    public void OnNotice(PanelNotice notice)
    {
        if (_waiting.TryGetValue(notice.RequestId, out var channel))
        {
            channel.Writer.TryWrite(notice);
        }
    }

    /// <summary>One registration; dispose it when done waiting.</summary>
    public sealed class Waiter(NoticeWaiters owner, string requestId, ChannelReader<PanelNotice> reader) : IDisposable
    {
        /// <summary>The next notice, or null when <paramref name="timeout"/> passes first.</summary>
        public async Task<PanelNotice?> NextAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (timeout <= TimeSpan.Zero)
            {
                return reader.TryRead(out var ready) ? ready : null;
            }
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                return await reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }

        public void Dispose() => owner._waiting.TryRemove(requestId, out _);
    }
}
