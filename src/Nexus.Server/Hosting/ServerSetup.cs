using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nexus.Kernel.Durable;
using Nexus.Kernel.Extensions;
using Nexus.Sandbox;
using Nexus.Server.Apis;
using Nexus.Server.Configuration;
using Nexus.Server.Durable;
using Nexus.Server.Observability;
using Nexus.Server.Panels;

namespace Nexus.Server.Hosting;

/// <summary>Wires the Nexus server: services, the durable backend, middleware and routes.</summary>
public static class ServerSetup
{
    /// <summary>Registers every service the server needs.</summary>
    public static WebApplicationBuilder AddNexusServer(this WebApplicationBuilder builder, NexusServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Logging.SetMinimumLevel(options.LogLevel switch
        {
            "debug" => LogLevel.Debug,
            "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.Information,
        });
        // The durable backend logs every poll at Information; only its warnings help an operator.
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{options.Host}:{options.HttpPort}");

        var services = builder.Services;
        // A graceful stop of the durable worker takes about 2 s; past this, in-flight work is left to its queues'
        // visibility timeout rather than keeping a stopping server up while storage is gone.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(options);
        services.AddSingleton(sp => new HandlerExecutor(options.Sandbox, sp.GetRequiredService<ILogger<HandlerExecutor>>()));
        services.AddSingleton<NexusMetrics>();
        services.AddSingleton<NoticeWaiters>();
        services.AddSingleton<PanelCounter>();
        services.AddSingleton<NoticeLog>();
        services.AddSingleton(sp => new CommitNotifier(
            [sp.GetRequiredService<NoticeWaiters>(), sp.GetRequiredService<NexusMetrics>(), sp.GetRequiredService<NoticeLog>()]));
        // Extensions are IExtension services: the built-in http one here, custom ones registered the same way.
        services.AddSingleton<IExtension>(_ => new HttpExtension(options.Http));
        services.AddSingleton(sp =>
        {
            var registry = new ExtensionRegistry();
            foreach (var extension in sp.GetServices<IExtension>())
            {
                registry.Register(extension);
            }
            return registry;
        });
        services.AddSingleton<IExtensionInvoker>(sp => new MeteredExtensions(sp.GetRequiredService<ExtensionRegistry>(), sp.GetRequiredService<NexusMetrics>()));
        services.AddSingleton(sp => StartDurableHost(sp, options));
        services.AddSingleton<PanelService>();
        services.AddHostedService<DurableHostLifetime>();
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            policy.AllowAnyHeader().AllowAnyMethod();
            if (options.CorsOrigins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins([.. options.CorsOrigins]).AllowCredentials();
            }
        }));
        return builder;
    }

    /// <summary>Middleware and routes.</summary>
    public static WebApplication UseNexusServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(errors => errors.Run(context =>
            new ApiError(500, "INTERNAL_ERROR", "Internal server error; the server log has the details.").WriteAsync(context.Response)));
        app.UseCors();
        app.Use(async (context, next) =>
        {
            await next(context);
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            context.RequestServices.GetRequiredService<NexusMetrics>().CountRequest(context.Request.Method, route, context.Response.StatusCode);
        });
        app.MapPanelsApi();
        app.MapHealthApi();
        app.MapFallback((HttpContext context) => ApiError.NotFound("ROUTE_NOT_FOUND",
            $"No route {context.Request.Method} {context.Request.Path}; see the README for the API.").ToResult());
        return app;
    }

    private static CoreDurableHost StartDurableHost(IServiceProvider sp, NexusServerOptions options)
    {
        var executor = sp.GetRequiredService<HandlerExecutor>();
        var extensions = sp.GetRequiredService<IExtensionInvoker>();
        var notifier = sp.GetRequiredService<CommitNotifier>();
        var catalog = new DurableTaskCatalog()
            .AddEntity(PanelEntity.EntityName, () => new PanelEntity(executor, extensions, notifier, options.Kernel))
            .AddOrchestrator(nameof(TriggerOrchestrator), () => new TriggerOrchestrator())
            .AddActivity(nameof(InvokeExtension), () => new InvokeExtension(extensions));
        // Start-up happens once, before the server listens; blocking here keeps registration synchronous.
        return CoreDurableHost.StartAsync(options.Durable, catalog, sp.GetRequiredService<ILoggerFactory>(),
                new CommitHooks(notifier.Committed, notifier.Abandoned))
            .GetAwaiter().GetResult();
    }
}
