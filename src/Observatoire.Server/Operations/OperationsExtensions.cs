using Observatoire.Core.Consolidation;
using Observatoire.Server.Backups;
using Observatoire.Server.Grpc;
using Observatoire.Server.Infrastructure;
using Observatoire.Server.Observability;
using Observatoire.Server.Telemetry;
using Observatoire.Server.Versioning;

namespace Observatoire.Server.Operations;

/// <summary>What the operations team needs from the host: version, backups, telemetry, the management endpoint.</summary>
public static class OperationsExtensions
{
    public static void AddOperations(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddObservatoireLogging();

        // Built now: a wrong minimum version stops the start, not the first call.
        var version = new ServerVersion(builder.Configuration);
        builder.Services.AddSingleton(version);
        builder.AddObservatoireTelemetry(version.Current);

        var management = new ManagementEndpoint();
        builder.Services.AddSingleton(management);
        NamedEndpoints.Configure(builder, management);

        builder.Services.Configure<BackupOptions>(builder.Configuration.GetSection(BackupOptions.SectionName));
        builder.Services.AddSingleton<BackupMaker>();
        builder.Services.AddSingleton<ScheduledBackups>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ScheduledBackups>());
    }

    /// <summary>First in the pipeline: the management endpoint's filter, the timing of gRPC calls, then the start-up gate.</summary>
    public static void UseOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Created now, so that the first scrape already shows the cube and the database.
        app.Services.GetRequiredService<ObservatoireMetrics>();
        ManagementEndpoint.UseFilter(app);
        app.UseMiddleware<RpcMetrics>();
        app.UseMiddleware<StartupGate>();

        // Each request waits for suppression plans at most Consolidation:PublicationWaitMilliseconds in all, however
        // many indicators it reads (gRPC, REST and pages alike).
        app.Use(async (context, next) =>
        {
            ReaderWait.Begin();
            await next(context);
        });
    }

    public static void MapOperations(this WebApplication app)
    {
        app.MapGrpcService<ServerInfoGrpcService>().AllowAnonymous();
        TelemetryExtensions.MapMetrics(app);
        HealthEndpoints.Map(app);
    }
}
