using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Grpc.AspNetCore.Server.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Data;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Audit;
using Observatoire.Server.Campaigns;
using Observatoire.Server.Grids;
using Observatoire.Server.Grpc;
using Observatoire.Server.Infrastructure;
using Observatoire.Server.Operations;
using Observatoire.Server.Registry;
using Observatoire.Server.Reports;
using Observatoire.Server.Security;

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

        services.AddObservatoireDatabase(builder.Configuration, builder.Environment.ContentRootPath);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Grids.SchemaFolder.Load(builder.Configuration, builder.Environment.ContentRootPath));
        services.AddSingleton<GridValidator>();
        services.AddSingleton<GridStoreLock>();
        services.AddSingleton<GridFeedFollower>();
        services.AddSingleton<IGridCommitObserver>(sp => sp.GetRequiredService<GridFeedFollower>());
        services.AddSingleton<GridCommitter>();
        services.AddScoped<GridStore>();
        services.AddScoped<GridIntake>();

        services.AddOptions<ConsolidationOptions>()
            .Bind(builder.Configuration.GetSection(ConsolidationOptions.SectionName))
            .Validate(o => o.Problem() is null, "Réglages Consolidation invalides : voir le journal de démarrage.")
            .ValidateOnStart();
        services.AddSingleton<ConsolidationState>();
        services.AddSingleton<SecrecyPlanningEvents>();
        services.AddSingleton<PublishedFigures>();
        services.AddSingleton<FigureViews>();
        services.AddSingleton<Editions.EditionDesk>();
        services.AddSingleton<Editions.EditionComparison>();
        services.AddSingleton<Editions.EditionFigures>();
        services.AddSingleton<AggregateQueries>();
        services.AddSingleton<Exports.FigureExports>();
        services.AddSingleton<ChartBuilder>();
        services.AddSingleton<ChartRequests>();
        services.AddSingleton<RenderGate>();
        services.AddSingleton<OpenStreams>();
        services.AddSingleton<ResponsePacing>();
        services.AddSingleton<StreamedAnswers>();
        services.AddSingleton<AnnualReportBuilder>();
        services.AddSingleton<PostBilanBuilder>();
        services.AddSingleton<PostBilanRequests>();
        services.AddSingleton<AnnualReportRequests>();
        services.AddSingleton<KeyDesk>();
        services.AddSingleton<DatabaseReadiness>();
        services.AddSingleton<AuditLog>();
        services.AddScoped<RegistryEditor>();
        services.Configure<CampaignOptions>(builder.Configuration.GetSection(CampaignOptions.SectionName));
        services.AddScoped<CampaignDesk>();

        var security = builder.Configuration.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>() ?? new SecurityOptions();
        TransportSecurity.Check(builder.Configuration, builder.Environment, security);
        services.Configure<SecurityOptions>(builder.Configuration.GetSection(SecurityOptions.SectionName));
        services.AddRateLimiter(o => RateLimits.Configure(o, security));
        TrustedProxies.Configure(services, security);
        services.AddSingleton<ApiKeyStore>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(Rights.Add);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        services.AddSingleton<StorageHealth>();
        services.AddHostedService<DatabaseInitializer>();

        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = options.MaxReceiveMessageSize;

            // gRPC's own pair, gzip read strictly (a message cut before its trailer is refused, not read shorter).
            o.CompressionProviders = [new StrictGzipCompressionProvider(), new global::Grpc.Net.Compression.DeflateCompressionProvider(System.IO.Compression.CompressionLevel.Fastest)];
            o.Interceptors.Add<UnexpectedErrorInterceptor>();
            o.Interceptors.Add<OpenServiceStreamBound>();
            o.Interceptors.Add<RequestTextGuard>();
            o.Interceptors.Add<StorageGuardInterceptor>();
        });
        services.AddGrpcReflection();
        // Checked at each health call, not every 30 seconds: NOT_SERVING shows as soon as writes fail.
        // The overall status ("") is readiness: the checks tagged "ready", also served as /health/ready on the management endpoint.
        var health = services.AddGrpcHealthChecks(o =>
            {
                o.UseHealthChecksCache = false;
                o.Services.Clear();
                o.Services.Map("", c => c.Tags.Contains(HealthEndpoints.ReadyTag));
            })
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag]);

        // On SQLite the "database" check already opens the file afresh at each probe; PostgreSQL needs its own.
        if (services.Single(d => d.ServiceType == typeof(ObservatoireDatabase)).ImplementationInstance is ObservatoireDatabase { IsSqlite: false })
        {
            health.AddCheck<DatabaseReachableCheck>(DatabaseReachableCheck.Name, tags: [HealthEndpoints.ReadyTag]);

            // Other instances' writes pushed in as they commit (LISTEN/NOTIFY).
            services.AddSingleton<ChangeListener>();
            services.AddHostedService(s => s.GetRequiredService<ChangeListener>());
        }

        // Every service, health and reflection included, is bound with request marshallers that answer
        // INVALID_ARGUMENT to a message that does not parse, and log it once (see GuardedServiceMethodProvider).
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(GuardedServiceMethodProvider<>));

        // Grpc.AspNetCore logs each unreadable message twice with its stack; ours is one warning line.
        builder.Logging.AddFilter("Grpc.AspNetCore.Server", LogLevel.Warning);
        builder.AddOperations();
    }

    public static void MapObservatoire(this WebApplication app)
    {
        // Who calls is settled first: from where (through a trusted proxy), then with what key or account; an
        // unauthenticated client is refused before its frames are examined.
        TrustedProxies.Use(app, app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        PlanWaitGuard.Use(app);
        app.UseMiddleware<RequestFramingGuard>();
        app.UseMiddleware<Rest.QueryParameterCheck>();

        app.MapGrpcService<SchemaGrpcService>();
        app.MapGrpcService<GridGrpcService>();
        app.MapGrpcService<RegistryGrpcService>();
        app.MapGrpcService<AggregateGrpcService>();
        app.MapGrpcService<ReportGrpcService>();
        app.MapGrpcService<AdminGrpcService>();
        app.MapGrpcService<EditionGrpcService>();

        // The standard health and reflection services answer without a key.
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        app.MapOperations();
    }
}
