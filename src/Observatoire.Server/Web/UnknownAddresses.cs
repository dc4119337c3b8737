using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using Observatoire.Server.Security;
using Observatoire.Server.Web.Components;

namespace Observatoire.Server.Web;

/// <summary>
/// What an address that nothing serves answers, whoever asks: a browser gets the French "page introuvable" page in
/// the site's layout (404), any other client a REST 404 in JSON (405 when a REST route is there for another method,
/// <see cref="Rest.RouteMethods"/>), a gRPC client UNIMPLEMENTED. Without it, such a
/// request fell to the fallback policy: signed in or not, a browser got a 401 asking for an API key. Answered where
/// that policy is applied (<see cref="GrpcAuthorizationResultHandler"/>), after the middleware that serves files of
/// its own (the API's browsable page), not as a fallback route, which those would take for a route of theirs.
/// </summary>
internal static class UnknownAddresses
{
    /// <summary>Whether nothing serves the request: no route matched it, and no middleware before the policy answered it.</summary>
    /// <remarks>
    /// Routing's own answer to a method no route of the path takes (an endpoint that writes an empty 405) counts too
    /// when a REST route is at that path: it then gets the French JSON 405 (<see cref="Rest.RouteMethods"/>).
    /// </remarks>
    public static bool Concern(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true
        && context.GetEndpoint() switch
        {
            null => true,
            { DisplayName: MethodRejection } => Rest.RouteMethods.At(context).Count > 0,
            _ => false,
        };

    /// <summary>The display name of routing's endpoint for a method not taken (ASP.NET Core's <c>HttpMethodMatcherPolicy</c>).</summary>
    private const string MethodRejection = "405 HTTP Method Not Supported";

    public static Task AnswerAsync(HttpContext context)
    {
        if ((HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            && context.Request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true))
        {
            // The whole document (head, layout, navigation) with the router's page for an address it does not know.
            return new RazorComponentResult<App> { StatusCode = StatusCodes.Status404NotFound }.ExecuteAsync(context);
        }

        if (Rest.RouteMethods.At(context) is { Count: > 0 } allowed)
        {
            return Rest.RouteMethods.RefuseAsync(context, allowed);
        }

        return GrpcResponses.WriteStatusAsync(context, StatusCode.NotFound, "Aucune ressource à cette adresse : le document OpenAPI (/openapi/v1.json) liste celles de l'API.");
    }
}
