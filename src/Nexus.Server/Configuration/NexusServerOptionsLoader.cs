using Nexus.Kernel.Durable;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Extensions;
using Nexus.Sandbox;
using Nexus.Server.Durable;

namespace Nexus.Server.Configuration;

/// <summary>Builds <see cref="NexusServerOptions"/> from environment variables, with the original kernel's names.</summary>
public static class NexusServerOptionsLoader
{
    public static NexusServerOptions Load(EnvironmentReader env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var limits = ExecutionLimits.Default with
        {
            TimeoutMs = env.Int("TIMEOUT_MS", 5000, min: 100),
            MemoryBytes = env.Int("MEMORY_LIMIT_MB", 32, min: 1, max: 1024) * 1024L * 1024,
            MaxHostCalls = env.Int("MAX_HOST_CALLS", 1000, min: 1),
        };
        HttpExtensionOptions http;
        try
        {
            http = HttpExtensionOptions.FromEnvironment(env.Text);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException(ex.Message);
        }
        var suspensionTimeout = env.Int("SUSPENSION_TIMEOUT_MS", 30_000, min: 100);
        if (http.DefaultTimeoutMs >= suspensionTimeout)
        {
            throw new ConfigurationException("HTTP_TIMEOUT",
                $"({http.DefaultTimeoutMs} ms) must be shorter than SUSPENSION_TIMEOUT_MS ({suspensionTimeout} ms), " +
                "or every slow request would be cut off by the suspension timeout first");
        }
        var sandbox = new SandboxOptions { MaxInstances = env.Int("MAX_INSTANCES", 10, min: 1, max: 1000) };
        if (env.Text("CACHE_DIR") is { } cacheDir)
        {
            sandbox = sandbox with { CacheDirectory = cacheDir };
        }
        var durable = new DurableBackendOptions
        {
            ConnectionString = env.Text("NEXUS_STORAGE") ?? "UseDevelopmentStorage=true",
            TaskHubName = TaskHub(env.Text("NEXUS_TASK_HUB") ?? "nexus"),
        };
        return new NexusServerOptions
        {
            HttpPort = env.Int("HTTP_PORT", 3000, min: 1, max: 65535),
            Host = env.Text("HOST") ?? "0.0.0.0",
            CorsOrigins = env.List("CORS_ORIGINS", ["*"]),
            BodyLimitBytes = env.Size("BODY_LIMIT", 1024 * 1024),
            TriggerWaitMs = env.Int("TRIGGER_WAIT_MS", 10_000, min: 0),
            MaxPanels = env.Int("MAX_PANELS", 10_000, min: 1),
            LogLevel = env.OneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error"),
            Kernel = new PanelKernelOptions { Limits = limits, SuspensionTimeoutMs = suspensionTimeout },
            Sandbox = sandbox,
            Http = http,
            Durable = durable,
        };
    }

    private static string TaskHub(string name) =>
        name.Length is >= 3 and <= 45 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit)
            ? name
            : throw new ConfigurationException("NEXUS_TASK_HUB", $"must be 3-45 letters or digits starting with a letter, got '{name}'");
}
