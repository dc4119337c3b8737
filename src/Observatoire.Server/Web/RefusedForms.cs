using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Endpoints;

namespace Observatoire.Server.Web;

/// <summary>
/// A form the framework refuses is answered in French, with what to do, instead of its English text: one the
/// antiforgery check refused (its token missing, expired or of another session, or a field the form reader refuses,
/// such as a NUL character), for every endpoint that requires the check; and one posted to a page that no longer shows
/// it (a period closed, a right withdrawn since the page was opened), which Blazor answers "Cannot submit the form ...".
/// Placed right after the antiforgery middleware.
/// </summary>
internal sealed class RefusedForms(RequestDelegate next)
{
    public const string Message = "Le formulaire n'a pas été accepté : il a expiré (page ouverte depuis longtemps, ou session changée entre-temps), ou l'un de ses champs contient un caractère que le serveur n'accepte pas. Rechargez la page, puis envoyez-le de nouveau.";

    public const string GoneMessage = "Ce formulaire n'est plus proposé par la page (une période a pu être fermée, ou vos droits ont changé depuis que la page a été ouverte). Rouvrez la page pour voir ce qu'elle propose maintenant.";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }
            && context.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: true })
        {
            // A body over the server's limit fails the form's reading, hence the check: it is its size to say.
            if (context.Request.ContentLength is { } length
                && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } max
                && length > max)
            {
                await WriteAsync(context, TooLarge(length, max), StatusCodes.Status413PayloadTooLarge);
                return;
            }

            await WriteAsync(context, Message);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
        {
            await next(context);
            return;
        }

        // A page's answer to a form is one render (no streaming): held until it is known, so that Blazor's plain-text
        // refusal of a form the page does not show can be replaced.
        var original = context.Response.Body;
        using var held = new MemoryStream();
        context.Response.Body = held;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.StatusCode == StatusCodes.Status400BadRequest && context.Response.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true)
        {
            context.Response.ContentLength = null;
            await WriteAsync(context, GoneMessage);
            return;
        }

        held.Position = 0;
        await held.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>The refusal of a form larger than the server takes, in megabytes.</summary>
    public static string TooLarge(long length, long max) =>
        $"Le formulaire envoyé est trop volumineux ({length / (1024 * 1024)} Mo ; le serveur en accepte {max / (1024 * 1024)} au plus). Un classeur fait au plus {Grids.WorkbookUpload.MaxBytes / (1024 * 1024)} Mo.";

    private static Task WriteAsync(HttpContext context, string message, int status = StatusCodes.Status400BadRequest)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
                $"""
                <!DOCTYPE html>
                <html lang="fr"><head><meta charset="utf-8" /><title>Formulaire refusé — Observatoire des ISCG</title>
                <link rel="stylesheet" href="/lib/dsfr/dsfr.min.css" /></head>
                <body><main class="fr-container fr-my-4w"><h1>Formulaire refusé</h1>
                <div class="fr-alert fr-alert--error" role="alert"><p>{WebUtility.HtmlEncode(message)}</p></div>
                <p class="fr-mt-3w"><a class="fr-link" href="/">Retour à l'accueil</a></p></main></body></html>
                """,
                context.RequestAborted);
    }
}
