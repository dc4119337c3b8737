using Microsoft.AspNetCore.Authorization;

namespace Observatoire.Server.Web;

/// <summary>
/// What a browser is told about every answer of the pages: not to guess content types, not to send the address of a
/// page elsewhere, never to show the pages in a frame of another site; the pages' scripts, styles, images and fonts
/// come from this server only (the DSFR and the charts are served from it; nothing is fetched elsewhere). A file or a
/// page behind a sign-in (a bilan with a post's raw figures, a report, an export) is never kept by a browser's or a
/// proxy's cache. gRPC answers are left as they are; the OpenAPI page (Swashbuckle's own inline scripts) keeps no policy.
/// </summary>
internal sealed class PageHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            return next(context);
        }

        var signedIn = RequiresSignIn(context.GetEndpoint());
        var openApiPage = context.Request.Path.StartsWithSegments("/" + Extensions.RestApiExtensions.PagePrefix, StringComparison.OrdinalIgnoreCase);
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true && !openApiPage)
            {
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            if (signedIn)
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool RequiresSignIn(Endpoint? endpoint) =>
        endpoint is not null
        && endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null
        && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
}
