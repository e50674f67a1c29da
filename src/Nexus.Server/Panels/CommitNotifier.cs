using System.Collections.Concurrent;
using Nexus.Kernel.Durable;

namespace Nexus.Server.Panels;

/// <summary>
/// Holds the notices a panel entity produces until the backend has durably saved the batch that produced them, then
/// hands them to the sinks (waiting HTTP callers, realtime clients). A batch that is abandoned and retried produces
/// its notices again, so nothing is told about state that was never saved.
/// </summary>
public sealed class CommitNotifier(IEnumerable<IPanelNoticeSink> sinks) : IPanelNotifier
{
    private readonly IPanelNoticeSink[] _sinks = [.. sinks];
    private readonly ConcurrentDictionary<string, List<PanelNotice>> _pending = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public void Notify(PanelNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var list = _pending.GetOrAdd(PanelEntity.IdFor(notice.PanelId).ToString(), _ => []);
        lock (list)
        {
            list.Add(notice);
        }
    }

    /// <summary>The work item of <paramref name="instanceId"/> was saved: deliver its notices.</summary>
    public void Committed(string instanceId)
    {
        if (!_pending.TryRemove(instanceId, out var list))
        {
            return;
        }
        PanelNotice[] notices;
        lock (list)
        {
            notices = [.. list];
        }
        foreach (var notice in notices)
        {
            foreach (var sink in _sinks)
            {
                sink.OnNotice(notice);
            }
        }
    }

    /// <summary>The work item of <paramref name="instanceId"/> was abandoned: its notices describe nothing saved.</summary>
    public void Abandoned(string instanceId) => _pending.TryRemove(instanceId, out _);
}

/// <summary>Something that wants committed panel notices.</summary>
public interface IPanelNoticeSink
{
    void OnNotice(PanelNotice notice);
}
