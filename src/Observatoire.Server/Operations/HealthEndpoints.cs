using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Observatoire.Server.Operations;

/// <summary>
/// Liveness and readiness for orchestrators, as HTTP on the management endpoint. Live: the process answers (no check
/// runs). Ready: every check tagged <see cref="ReadyTag"/> is healthy, i.e. the database was migrated, the cube loaded,
/// and the file is still there and writable; the standard gRPC health service reports the same checks.
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public const string LivePath = "/health/live";

    public const string ReadyPath = "/health/ready";

    // French descriptions stay readable in the body ("é", not "\u00E9"); the body is JSON, never HTML.
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public static void Map(WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous()
            .DisableRateLimiting()
            .WithMetadata(ManagementEndpoint.Only);
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous()
            .DisableRateLimiting()
            .WithMetadata(ManagementEndpoint.Only);
    }

    /// <summary>A small JSON body: the overall status and each check's status and French description.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted);
    }
}
