using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nexus.Kernel.Json;
using Nexus.Sandbox;
using Nexus.Server.Durable;
using Nexus.Server.Observability;
using Nexus.Server.Panels;

namespace Nexus.Server.Apis;

/// <summary><c>GET /health</c> and <c>GET /metrics</c>.</summary>
public static class HealthApi
{
    private static readonly string s_version =
        typeof(HealthApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health).WithName("Health");
        app.MapGet("/metrics", Metrics).WithName("Metrics");
        return app;
    }

    private static async Task<IResult> Health(
        CoreDurableHost host, HandlerExecutor sandbox, PanelCounter panels, NexusMetrics metrics, CancellationToken ct)
    {
        var storage = await host.PingAsync(TimeSpan.FromSeconds(2), ct);
        var stats = sandbox.GetStats();
        var saturated = stats.AvailableSlots == 0 && stats.QueuedRuns > 0;
        var status = !storage ? "unhealthy" : saturated ? "degraded" : "healthy";
        return Results.Json(new
        {
            status,
            version = s_version,
            uptime = (long)(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds,
            storage = storage ? "reachable" : "unreachable",
            panels = new { active = panels.Count, suspendedRuns = metrics.OpenRuns },
            sandbox = stats,
        }, NexusJson.Options, statusCode: status == "unhealthy" ? 503 : 200);
    }

    private static IResult Metrics(NexusMetrics metrics, HandlerExecutor sandbox) =>
        Results.Text(metrics.Render(sandbox.GetStats()), "text/plain; version=0.0.4");
}
