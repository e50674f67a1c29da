using Nexus.Kernel.Durable;
using Nexus.Kernel.Extensions;
using Nexus.Sandbox;
using Nexus.Server.Durable;

namespace Nexus.Server.Configuration;

/// <summary>Everything the server is configured with, read from environment variables.</summary>
public sealed record NexusServerOptions
{
    public int HttpPort { get; init; } = 3000;
    public string Host { get; init; } = "0.0.0.0";

    /// <summary>Allowed browser origins; <c>*</c> allows any origin (without credentials).</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = ["*"];
    public long BodyLimitBytes { get; init; } = 1024 * 1024;

    /// <summary>How long <c>POST /panels/{id}/trigger/{tool}</c> waits for a run before answering 202.</summary>
    public int TriggerWaitMs { get; init; } = 10_000;
    public int MaxPanels { get; init; } = 10_000;
    public string LogLevel { get; init; } = "info";
    public PanelKernelOptions Kernel { get; init; } = new();
    public SandboxOptions Sandbox { get; init; } = new();
    public HttpExtensionOptions Http { get; init; } = new();
    public DurableBackendOptions Durable { get; init; } = new();
}
