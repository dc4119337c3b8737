using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Data;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Grids;
using Observatoire.Server.Grpc;
using Observatoire.Server.Infrastructure;
using Observatoire.Server.Reports;

namespace Observatoire.Server.Extensions;

/// <summary>Wires the whole server: options, storage, domain services and gRPC endpoints.</summary>
public static class ObservatoireServerExtensions
{
    public static void AddObservatoire(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection(ObservatoireOptions.SectionName).Get<ObservatoireOptions>() ?? new ObservatoireOptions();
        services.Configure<ObservatoireOptions>(builder.Configuration.GetSection(ObservatoireOptions.SectionName));
        services.Configure<ReferenceDataOptions>(builder.Configuration.GetSection(ReferenceDataOptions.SectionName));

        var connectionString = PrepareSqlite(
            builder.Configuration.GetConnectionString("Observatoire") ?? "Data Source=data/observatoire.db",
            builder.Environment.ContentRootPath);
        services.AddDbContext<ObservatoireDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new DurableSqliteInterceptor()));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => SchemaCatalog.LoadEmbedded());
        services.AddSingleton<GridValidator>();
        services.AddSingleton<GridStoreLock>();
        services.AddScoped<GridStore>();
        services.AddScoped<GridIntake>();

        services.Configure<ConsolidationOptions>(builder.Configuration.GetSection(ConsolidationOptions.SectionName));
        services.AddSingleton<ConsolidationState>();
        services.AddSingleton<PublishedFigures>();
        services.AddSingleton<AggregateQueries>();
        services.AddSingleton<ChartBuilder>();
        services.AddSingleton<ChartRequests>();
        services.AddSingleton<AnnualReportBuilder>();
        services.AddSingleton<PostBilanBuilder>();
        services.AddSingleton<DatabaseReadiness>();
        services.AddHostedService<DatabaseInitializer>();

        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
            o.Interceptors.Add<UnexpectedErrorInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");
    }

    public static void MapObservatoire(this WebApplication app)
    {
        app.MapGrpcService<SchemaGrpcService>();
        app.MapGrpcService<GridGrpcService>();
        app.MapGrpcService<RegistryGrpcService>();
        app.MapGrpcService<AggregateGrpcService>();
        app.MapGrpcService<ReportGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
    }

    /// <summary>Resolves a relative database file against the content root and creates its folder.</summary>
    private static string PrepareSqlite(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.IsPathRooted(builder.DataSource) ? builder.DataSource : Path.Combine(contentRoot, builder.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }

        builder.DefaultTimeout = builder.DefaultTimeout == 30 ? 30 : builder.DefaultTimeout;
        return builder.ToString();
    }
}
