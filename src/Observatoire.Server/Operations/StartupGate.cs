using Grpc.Core;
using Observatoire.Server.Infrastructure;
using Observatoire.Server.Security;

namespace Observatoire.Server.Operations;

/// <summary>
/// While the start-up phase runs (migrations, cube load), the ports are open but nothing behind them is ready: every
/// request but the management endpoint's, the gRPC health and reflection services and ServerInfo gets UNAVAILABLE
/// (gRPC), 503 with a google.rpc.Status (REST) or a 503 page, with the step under way, before authentication reads
/// keys from tables that may not exist yet. Never INTERNAL: a client retries, a load balancer waits for readiness.
/// </summary>
internal sealed class StartupGate(RequestDelegate next, DatabaseReadiness readiness)
{
    private static readonly string[] AlwaysAnswering = ["/grpc.health.v1.Health/", "/grpc.reflection.", "/observatoire.v1.ServerInfoService/"];

    // French stays readable in the page ("é", not "&#233;"); markup characters are still encoded.
    private static readonly System.Text.Encodings.Web.HtmlEncoder Html = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public Task InvokeAsync(HttpContext context)
    {
        if (readiness.IsReady || context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpoint.ManagementOnly>() is not null)
        {
            return next(context);
        }

        var path = context.Request.Path.Value ?? "";
        if (AlwaysAnswering.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
        {
            return next(context);
        }

        var message = Message(readiness);
        var retry = new KeyValuePair<string, string>("Retry-After", "5");
        if (GrpcAuthorizationResultHandler.IsGrpc(context))
        {
            return GrpcResponses.WriteStatusAsync(context, StatusCode.Unavailable, message, [retry]);
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = retry.Value;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Observatoire : démarrage</title></head>"
            + $"<body><h1>Service momentanément indisponible</h1><p>{Html.Encode(message)}</p></body></html>",
            context.RequestAborted);
    }

    /// <summary>What a caller is told while the server starts (or after its start-up failed).</summary>
    public static string Message(DatabaseReadiness readiness) =>
        $"Le serveur démarre et ne répond pas encore ({readiness.State}). Réessayez dans quelques secondes.";
}
