using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nexus.Kernel.Execution;
using Nexus.Kernel.Json;
using Nexus.Kernel.Panels;
using Nexus.Server.Configuration;
using Nexus.Server.Panels;

namespace Nexus.Server.Apis;

/// <summary>The panel routes: create, list, read, delete, trigger, and run status.</summary>
public static class PanelsApi
{
    public static IEndpointRouteBuilder MapPanelsApi(this IEndpointRouteBuilder app)
    {
        var panels = app.MapGroup("/panels");
        panels.MapPost("/", Create).WithName("CreatePanel");
        panels.MapGet("/", List).WithName("ListPanels");
        panels.MapGet("/{id}", Get).WithName("GetPanel");
        panels.MapGet("/{id}/state", GetState).WithName("GetPanelState");
        panels.MapDelete("/{id}", Delete).WithName("DeletePanel");
        panels.MapPost("/{id}/trigger/{tool}", Trigger).WithName("TriggerTool");
        panels.MapGet("/{id}/runs/{runId}", GetRun).WithName("GetRun");
        return app;
    }

    private static async Task<IResult> Create(HttpRequest request, PanelService panels, NexusServerOptions options, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync<PanelDefinition>(request, options.BodyLimitBytes, ct);
        if (body.Error is { } error)
        {
            return error.ToResult();
        }
        var hubUrl = $"{request.Scheme}://{request.Host}/hubs/nexus";
        var created = await panels.CreateAsync(body.Value!, hubUrl, ct);
        return created.Error?.ToResult()
            ?? Results.Json(created.Value, NexusJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> List(PanelService panels, CancellationToken ct, int? top, string? continuation)
    {
        if (top is < 1 or > 1000)
        {
            return ApiError.BadRequest("INVALID_QUERY", "top must be between 1 and 1000").ToResult();
        }
        var page = await panels.ListAsync(top ?? 100, continuation, ct);
        return Results.Json(page, NexusJson.Options);
    }

    private static async Task<IResult> Get(string id, PanelService panels, CancellationToken ct)
    {
        var panel = await panels.GetAsync(id, ct);
        return panel.Error?.ToResult() ?? Results.Json(PanelInfo.From(panel.Value!), NexusJson.Options);
    }

    private static async Task<IResult> GetState(string id, HttpResponse response, PanelService panels, CancellationToken ct)
    {
        var panel = await panels.GetAsync(id, ct);
        if (panel.Error is { } error)
        {
            return error.ToResult();
        }
        response.Headers.ETag = $"\"{panel.Value!.Version}\"";
        return Results.Json(panel.Value.State, NexusJson.Options);
    }

    private static async Task<IResult> Delete(string id, PanelService panels, CancellationToken ct)
    {
        var error = await panels.DeleteAsync(id, ct);
        return error?.ToResult() ?? Results.NoContent();
    }

    private static async Task<IResult> Trigger(
        string id, string tool, HttpRequest request, PanelService panels, NexusServerOptions options, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync(request, options.BodyLimitBytes, ct);
        if (body.Error is { } error)
        {
            return error.ToResult();
        }
        var outcome = await panels.TriggerAsync(id, tool, body.Value ?? NexusJson.EmptyObject, ct);
        if (outcome.Error is { } failure)
        {
            return failure.ToResult();
        }
        var run = outcome.Value!;
        if (run.Result is { } result)
        {
            return Results.Json(result, NexusJson.Options);
        }
        var location = $"/panels/{Uri.EscapeDataString(id)}/runs/{run.RunId}";
        var accepted = Results.Json(new
        {
            runId = run.RunId,
            status = run.LastProgress?.Result?.Status is ExecutionStatus.Suspended ? "suspended" : "running",
            statusUrl = location,
            suspension = run.LastProgress?.Result?.Suspension,
        }, NexusJson.Options, statusCode: StatusCodes.Status202Accepted);
        return new LocatedResult(accepted, location);
    }

    private static async Task<IResult> GetRun(string id, string runId, PanelService panels, CancellationToken ct)
    {
        var run = await panels.GetRunAsync(id, runId, ct);
        return run.Error?.ToResult() ?? Results.Json(run.Value, NexusJson.Options);
    }

    /// <summary>Adds a <c>Location</c> header to another result.</summary>
    private sealed class LocatedResult(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
