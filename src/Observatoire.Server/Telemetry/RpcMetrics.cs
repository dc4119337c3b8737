using System.Diagnostics;
using System.Globalization;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Observatoire.Server.Grpc;
using Observatoire.Server.Security;

namespace Observatoire.Server.Telemetry;

/// <summary>
/// Times every gRPC call with its method and its gRPC status. ASP.NET Core's http.server.request.duration sees
/// HTTP 200 for nearly every gRPC call (the status travels in the trailers); this middleware reads the grpc-status
/// the call ended with, whoever wrote it (the service, authentication, the rate limiter, a framing guard).
/// </summary>
internal sealed class RpcMetrics(RequestDelegate next, ObservatoireMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        if (method is null || !GrpcAuthorizationResultHandler.IsGrpc(context))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            metrics.RpcCompleted(method.FullName, failed ? "UNKNOWN" : StatusOf(context), Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>The grpc-status of the trailers, or of the headers for a trailers-only answer.</summary>
    private static string StatusOf(HttpContext context)
    {
        var value = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"].ToString();
        if (string.IsNullOrEmpty(value))
        {
            value = context.Response.Headers["grpc-status"].ToString();
        }

        if (string.IsNullOrEmpty(value) && context.RequestAborted.IsCancellationRequested)
        {
            return StatusNames.Of(StatusCode.Cancelled);
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? StatusNames.Of((StatusCode)code)
            : "UNKNOWN";
    }
}
