using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;

namespace Observatoire.Server.Rest;

/// <summary>
/// Errors of REST calls answered before the service (authentication, rights, rate limit), in the shape JSON
/// transcoding gives the services' own errors: the HTTP status of the gRPC code and a google.rpc.Status body.
/// </summary>
internal static class RestErrors
{
    /// <param name="httpStatus">The HTTP status when it is not the code's own (<see cref="HttpStatusOf"/>).</param>
    public static Task WriteAsync(HttpContext context, StatusCode code, string message, int? httpStatus = null)
    {
        context.Response.StatusCode = httpStatus ?? HttpStatusOf(code);
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object> { ["code"] = (int)code, ["message"] = message, ["details"] = Array.Empty<object>() };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted);
    }

    /// <summary>A rich status (its details: google.rpc.BadRequest and the other standard ones) as transcoding writes it.</summary>
    public static Task WriteAsync(HttpContext context, Google.Rpc.Status status)
    {
        context.Response.StatusCode = HttpStatusOf((StatusCode)status.Code);
        context.Response.ContentType = "application/json; charset=utf-8";
        // Protobuf's formatter spaces its output ("{ \"code\": 3 }"); transcoding writes compact JSON, and so does this.
        using var formatted = JsonDocument.Parse(Formatter.Format(status));
        return context.Response.WriteAsync(JsonSerializer.Serialize(formatted.RootElement, Json), context.RequestAborted);
    }

    /// <summary>French as it is, as transcoding writes it (the body is JSON, never HTML: nothing to escape beyond JSON's own).</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonFormatter Formatter = new(new JsonFormatter.Settings(formatDefaultValues: true, Google.Protobuf.Reflection.TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor)));

    /// <summary>The HTTP status of a gRPC code, as google.api's HTTP mapping (and JSON transcoding) states it.</summary>
    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.Cancelled => 499,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        _ => StatusCodes.Status500InternalServerError,
    };
}
