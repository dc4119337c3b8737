using Grpc.AspNetCore.Server;

namespace Observatoire.Server.Web;

/// <summary>
/// The pages' side of <see cref="Grpc.RequestTextGuard"/>: a page or download request whose path, query string or
/// route values hold a NUL character (U+0000) is refused with 400 before a page reads it. PostgreSQL cannot store that
/// character, and no field of a page has a use for it. A form's fields need no check here: ASP.NET Core's form reader
/// refuses that character itself (and antiforgery answers 400). gRPC, native or transcoded, is checked field by field
/// in its interceptor.
/// </summary>
internal sealed class PageTextGuard(RequestDelegate next)
{
    public const string Message = "Requête refusée : l'adresse contient un caractère nul (U+0000), que le serveur n'enregistre pas.";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is null && HoldsNul(context.Request))
        {
            await Results.Text(Message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static bool HoldsNul(HttpRequest request) =>
        HasNul(request.Path.Value)
        || request.Query.Any(q => HasNul(q.Key) || q.Value.Any(HasNul))
        || request.RouteValues.Values.Any(v => v is string s && HasNul(s));

    private static bool HasNul(string? text) => text?.Contains('\0', StringComparison.Ordinal) == true;
}
