using Microsoft.Extensions.Logging;
using Nexus.Kernel.Durable;
using Nexus.Kernel.Execution;
using Nexus.Server.Logging;
using Nexus.Server.Panels;

namespace Nexus.Server.Observability;

/// <summary>Logs what panels did, once it is committed, with the panel id, run id and outcome.</summary>
public sealed class NoticeLog(ILogger<NoticeLog> logger) : IPanelNoticeSink
{
    /// <inheritdoc/>
    public void OnNotice(PanelNotice notice)
    {
        switch (notice)
        {
            case PanelCreated { Failure: null } created:
                logger.PanelCreated(created.PanelId);
                break;
            case PanelDeleted { Existed: true } deleted:
                logger.PanelDeleted(deleted.PanelId, deleted.CancelledRuns.Count);
                break;
            case RunProgress { Failure: { } failure } refused:
                logger.PanelRequestRefused(refused.PanelId, refused.RequestId, failure.Code, failure.Message);
                break;
            case RunProgress { Result: { Suspension: { } suspension, Status: ExecutionStatus.Suspended } } suspended:
                logger.RunSuspended(suspended.PanelId, suspended.RunId, suspension.ExtensionName, suspension.Method, suspension.SuspensionId);
                break;
            case RunProgress { Result: { Error: { } error } } failed:
                logger.RunFailed(failed.PanelId, failed.RunId, error.Code, error.Message);
                break;
            case RunProgress { Result: { } result } ended:
                logger.RunEnded(ended.PanelId, ended.RunId, "success", result.Metrics.ExecutionTimeUs, ended.Version);
                break;
        }
    }
}
