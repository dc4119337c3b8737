using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Observatoire.Server.Security;

/// <summary>
/// Answers a refused call as gRPC clients expect (a trailers-only response): UNAUTHENTICATED with why the
/// key was refused, PERMISSION_DENIED naming the missing right, instead of bare HTTP 401/403.
/// </summary>
public sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (Web.UnknownAddresses.Concern(context))
        {
            return Web.UnknownAddresses.AnswerAsync(context);
        }

        if (!IsGrpc(context))
        {
            // The web pages: a challenge redirects to the sign-in page, a refusal to the access-denied page.
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        if (authorizeResult.Challenged)
        {
            var failure = context.Features.Get<AuthenticationFailure>() ?? new AuthenticationFailure("Authentification requise.");
            return GrpcResponses.WriteStatusAsync(context, failure.Code, failure.Message);
        }

        if (authorizeResult.Forbidden)
        {
            var right = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RightRequirement>().FirstOrDefault()?.Right ?? "accès à cette opération";
            return GrpcResponses.WriteStatusAsync(context, StatusCode.PermissionDenied, $"Droit manquant : {right}.");
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>
    /// A gRPC call (by its content type or the method it reaches), as opposed to a browser asking for a page. An
    /// address nothing serves is neither: a browser's cookie says who asks, and it is answered 404
    /// (<see cref="Web.UnknownAddresses"/>).
    /// </summary>
    public static bool IsGrpc(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
            || context.GetEndpoint()?.Metadata.GetMetadata<global::Grpc.AspNetCore.Server.GrpcMethodMetadata>() is not null;
    }
}

/// <summary>
/// Writes a status from middleware that runs before the service: a trailers-only gRPC answer to a gRPC call, and to
/// a REST call (JSON transcoding) the HTTP status and JSON body that transcoding gives the service's own errors.
/// </summary>
public static class GrpcResponses
{
    public static Task WriteStatusAsync(HttpContext context, StatusCode code, string message, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (name, value) in headers ?? [])
        {
            context.Response.Headers[name] = value;
        }

        if (!IsGrpc(context.Request))
        {
            return Rest.RestErrors.WriteAsync(context, code, message);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}
