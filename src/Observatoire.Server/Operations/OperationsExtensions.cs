using Observatoire.Server.Backups;
using Observatoire.Server.Grpc;
using Observatoire.Server.Observability;
using Observatoire.Server.Versioning;

namespace Observatoire.Server.Operations;

/// <summary>What the operations team needs from the host: version, backups, metrics and health endpoints.</summary>
public static class OperationsExtensions
{
    public static void AddOperations(this WebApplicationBuilder builder)
    {
        builder.AddObservatoireLogging();

        // Built now: a wrong minimum version stops the start, not the first call.
        builder.Services.AddSingleton(new ServerVersion(builder.Configuration));
        builder.Services.Configure<BackupOptions>(builder.Configuration.GetSection(BackupOptions.SectionName));
        builder.Services.AddSingleton<BackupMaker>();
        builder.Services.AddSingleton<ScheduledBackups>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ScheduledBackups>());
    }

    public static void MapOperations(this WebApplication app)
    {
        app.MapGrpcService<ServerInfoGrpcService>().AllowAnonymous();
    }
}
