using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Routing.Template;

namespace Observatoire.Server.Rest;

/// <summary>
/// A REST address asked with a method it does not take (a POST, DELETE or HEAD to a route read with GET): answered
/// 405 with the methods it takes in <c>Allow</c> and a French JSON status, as HTTP says, rather than a 404 saying
/// that nothing is there. Routing finds no endpoint for such a request; the answer is made where the addresses
/// nothing serves are (<see cref="Web.UnknownAddresses"/>), rare enough that the routes are matched then.
/// </summary>
internal static class RouteMethods
{
    /// <summary>The methods the REST routes take at this request's path; empty when no route has that path.</summary>
    public static IReadOnlyList<string> At(HttpContext context)
    {
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        foreach (var endpoint in context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is null
                || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } verbs)
            {
                continue;
            }

            var template = new RouteTemplate(endpoint.RoutePattern);
            if (new TemplateMatcher(template, new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary()))
            {
                methods.UnionWith(verbs.HttpMethods);
            }
        }

        return [.. methods];
    }

    /// <summary>405 with <c>Allow</c>; the status in the body is UNIMPLEMENTED, gRPC's word for a method not served.</summary>
    public static Task RefuseAsync(HttpContext context, IReadOnlyList<string> allowed)
    {
        var list = string.Join(", ", allowed);
        context.Response.Headers.Allow = list;
        return RestErrors.WriteAsync(
            context,
            StatusCode.Unimplemented,
            $"La méthode {context.Request.Method} n'est pas acceptée à cette adresse : {list} seulement.",
            StatusCodes.Status405MethodNotAllowed);
    }
}
