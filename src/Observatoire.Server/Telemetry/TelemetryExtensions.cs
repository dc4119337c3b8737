using Npgsql;
using Observatoire.Data;
using Observatoire.Server.Operations;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Observatoire.Server.Telemetry;

/// <summary>
/// OpenTelemetry: the server's metrics (meter "Observatoire", ASP.NET Core, Kestrel, HttpClient, .NET runtime) always,
/// scraped at /metrics on the management endpoint. Traces (ASP.NET Core requests, gRPC calls among them, EF Core
/// commands, HttpClient, and on PostgreSQL Npgsql's own command spans and metrics) and an OTLP copy of the metrics only when an OTLP endpoint is configured by the standard
/// variables (OTEL_EXPORTER_OTLP_ENDPOINT, or the per-signal ..._TRACES_ENDPOINT / ..._METRICS_ENDPOINT); the
/// exporter reads the others itself (OTEL_EXPORTER_OTLP_PROTOCOL, _HEADERS, OTEL_SERVICE_NAME, ...).
/// </summary>
internal static class TelemetryExtensions
{
    public const string ServiceName = "observatoire";

    public static void AddObservatoireTelemetry(this WebApplicationBuilder builder, string version)
    {
        var services = builder.Services;
        services.AddSingleton<ObservatoireMetrics>();
        services.AddSingleton<IGridCommitObserver>(sp => sp.GetRequiredService<ObservatoireMetrics>());

        var configuration = builder.Configuration;
        var postgreSql = services.Any(d => d.ServiceType == typeof(Infrastructure.ObservatoireDatabase)
            && d.ImplementationInstance is Infrastructure.ObservatoireDatabase { IsSqlite: false });
        var traces = Configured(configuration, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        var metrics = Configured(configuration, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceVersion: version))
            .WithMetrics(m =>
            {
                m.AddMeter(ObservatoireMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    // Every scrape reads the meters now: the exporter's default keeps a response 300 ms, so two scrapes close
                    // together (an operator's check before and after an action) would show the same numbers.
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (postgreSql)
                {
                    // The driver's meter (connection pool, commands), on PostgreSQL only.
                    m.AddNpgsqlInstrumentation();
                }

                if (metrics)
                {
                    m.AddOtlpExporter();
                }
            });
        if (traces)
        {
            telemetry.WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddEntityFrameworkCoreInstrumentation();
                if (postgreSql)
                {
                    // The driver's own spans: each command as PostgreSQL ran it, with its connection and timing.
                    t.AddNpgsql();
                }

                t.AddOtlpExporter();
            });
        }
    }

    /// <summary>Whether an OTLP endpoint is set for a signal: its own variable or the common OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public static bool Configured(IConfiguration configuration, string signalKey) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || !string.IsNullOrWhiteSpace(configuration[signalKey]);

    public static void MapMetrics(WebApplication app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath)
            .AllowAnonymous()
            .DisableRateLimiting()
            .WithMetadata(ManagementEndpoint.Only);

    public const string MetricsPath = "/metrics";

    /// <summary>Scrapes and probes are not traced: they would drown the requests people make.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");
}
