namespace Nexus.Server.Durable;

/// <summary>Settings of the durable backend (DurableTask.Core on Azure Storage), tuned for interactive use.</summary>
/// <remarks>
/// The defaults follow the measurements in the durable research note. Messages sent through the host's own service
/// object wake its poller at once, so <see cref="MaxQueuePollingInterval"/> only bounds the delay of messages sent
/// by another process and of durable timers coming due.
/// </remarks>
public sealed record DurableBackendOptions
{
    /// <summary>The Azure Storage connection string; the default is Azurite on its standard ports.</summary>
    public string ConnectionString { get; init; } = "UseDevelopmentStorage=true";

    /// <summary>The task hub: the prefix of every queue, table and blob container the backend owns.</summary>
    public string TaskHubName { get; init; } = "nexus";

    /// <summary>Control-queue partitions. One is enough for a single server; 4 measured no faster.</summary>
    public int PartitionCount { get; init; } = 1;

    /// <summary>The longest idle back-off of the queue pollers (DTFx default 30 s).</summary>
    /// <remarks>
    /// Cross-process, 1 s gave a p50 of 860 ms and 100 ms gave 77-100 ms; 10 ms gained a few ms more but kept about
    /// 10% of Azurite's core busy while idle.
    /// </remarks>
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a dequeued orchestration or entity message stays invisible (DTFx default 5 min).</summary>
    /// <remarks>After a crash, in-flight messages reappear only when this expires: it bounds recovery time.</remarks>
    public TimeSpan ControlQueueVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a dequeued activity stays invisible (DTFx default 5 min): a crashed one's retry.</summary>
    /// <remarks>
    /// DTFx renews a running activity's lock on a 5 s tick once fewer than 30 s remain, so values well above 5 s keep
    /// long activities locked; 10 s re-ran a killed activity about 16 s after restart.
    /// </remarks>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Minutes an entity remembers each calling orchestration, to order and deduplicate messages.</summary>
    /// <remarks>
    /// DTFx's default is 30. Every remembered caller is kept in the entity's stored state: after a few hundred callers
    /// that state passed 60 KB and each operation cost about 8 more storage requests; even 1 minute moved a busy
    /// panel's state into a blob (and into blob lease conflicts) at 10-15 suspending runs/s. Nexus needs none of it:
    /// each run's orchestrator has one call to its panel in flight at a time, and <c>PanelEntity.Resume</c> ignores a
    /// repeated call (it names a suspension the run has already left), so 0 turns the sorting off.
    /// </remarks>
    public int EntityMessageReorderWindowInMinutes { get; init; }

    /// <summary>Orchestration work items processed at once (DTFx default 100).</summary>
    /// <remarks>4 raised the throughput of 16 concurrent callers from 45 to 60 orchestrations/s.</remarks>
    public int MaxConcurrentTaskOrchestrationWorkItems { get; init; } = 4;

    /// <summary>Entity work items (each a batch of operations on one entity) processed at once.</summary>
    public int MaxConcurrentTaskEntityWorkItems { get; init; } = 8;

    /// <summary>Activities run at once: they mostly wait on the network, so more than the cores.</summary>
    public int MaxConcurrentTaskActivityWorkItems { get; init; } = 16;

    /// <summary>The first delay between two state reads while waiting for an orchestration.</summary>
    /// <remarks>DTFx's own wait polls every 2 s, which turns a 25 ms orchestration into 2 s.</remarks>
    public TimeSpan ClientPollingInterval { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The delay between state reads grows to this, so long waits do not load the storage.</summary>
    public TimeSpan MaxClientPollingInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Turns off the check that holds back a start message until its instance row exists.</summary>
    /// <remarks>
    /// The client enqueues a start message before it writes the instance row. With the check on, a top-level start
    /// message that finds no matching row is abandoned and seen again about 2 s later (5 times in about 42,000
    /// starts). Off, that stall goes away, and so does the protection against a duplicate start message (a client
    /// retrying after a storage error) starting the instance twice. Sub-orchestrations are never checked.
    /// </remarks>
    public bool DisableExecutionStartedDeduplication { get; init; }
}
