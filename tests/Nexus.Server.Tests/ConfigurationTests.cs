using Nexus.Server.Configuration;

namespace Nexus.Server.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void Load_NoVariables_UsesTheDocumentedDefaults()
    {
        var options = Load([]);

        Assert.Equal(3000, options.HttpPort);
        Assert.Equal(["*"], options.CorsOrigins);
        Assert.Equal(1024 * 1024, options.BodyLimitBytes);
        Assert.Equal(10_000, options.TriggerWaitMs);
        Assert.Equal(5000, options.Kernel.Limits.TimeoutMs);
        Assert.Equal(32L * 1024 * 1024, options.Kernel.Limits.MemoryBytes);
        Assert.Equal(1000, options.Kernel.Limits.MaxHostCalls);
        Assert.Equal(30_000, options.Kernel.SuspensionTimeoutMs);
        Assert.Equal(10, options.Sandbox.MaxInstances);
        Assert.Equal(25_000, options.Http.DefaultTimeoutMs);
        Assert.Equal("UseDevelopmentStorage=true", options.Durable.ConnectionString);
    }

    [Fact]
    public void Load_Variables_AreApplied()
    {
        var options = Load(new()
        {
            ["HTTP_PORT"] = "8080",
            ["CORS_ORIGINS"] = "https://a.example, https://b.example",
            ["BODY_LIMIT"] = "100kb",
            ["TIMEOUT_MS"] = "250",
            ["MEMORY_LIMIT_MB"] = "16",
            ["MAX_INSTANCES"] = "3",
            ["HTTP_ALLOWED_DOMAINS"] = "api.example.com,*.example.org",
            ["NEXUS_TASK_HUB"] = "hub2",
        });

        Assert.Equal(8080, options.HttpPort);
        Assert.Equal(["https://a.example", "https://b.example"], options.CorsOrigins);
        Assert.Equal(100 * 1024, options.BodyLimitBytes);
        Assert.Equal(250, options.Kernel.Limits.TimeoutMs);
        Assert.Equal(16L * 1024 * 1024, options.Kernel.Limits.MemoryBytes);
        Assert.Equal(3, options.Sandbox.MaxInstances);
        Assert.Equal(["api.example.com", "*.example.org"], options.Http.AllowedDomains);
        Assert.Equal("hub2", options.Durable.TaskHubName);
    }

    [Theory]
    [InlineData("HTTP_PORT", "70000")]
    [InlineData("HTTP_PORT", "abc")]
    [InlineData("TIMEOUT_MS", "50")]
    [InlineData("BODY_LIMIT", "lots")]
    [InlineData("LOG_LEVEL", "chatty")]
    [InlineData("MAX_INSTANCES", "0")]
    [InlineData("NEXUS_TASK_HUB", "no-dashes")]
    [InlineData("HTTP_TIMEOUT", "-5")]
    [InlineData("HTTP_ALLOWED_DOMAINS", "bad domain")]
    public void Load_InvalidValue_FailsNamingTheVariable(string variable, string value)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(new() { [variable] = value }));

        Assert.Contains(variable, ex.Message);
    }

    [Fact]
    public void Load_HttpTimeoutNotShorterThanTheSuspensionTimeout_Fails()
    {
        var ex = Assert.Throws<ConfigurationException>(() =>
            Load(new() { ["HTTP_TIMEOUT"] = "30000", ["SUSPENSION_TIMEOUT_MS"] = "30000" }));

        Assert.Contains("SUSPENSION_TIMEOUT_MS", ex.Message);
    }

    private static NexusServerOptions Load(Dictionary<string, string> environment) =>
        NexusServerOptionsLoader.Load(new EnvironmentReader(name => environment.GetValueOrDefault(name)));
}
