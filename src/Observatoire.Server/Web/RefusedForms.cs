using System.Net;
using Microsoft.AspNetCore.Antiforgery;

namespace Observatoire.Server.Web;

/// <summary>
/// A form the antiforgery check refused (its token missing, expired or of another session, or a field the form reader
/// refuses, such as a NUL character) is answered in French, with what to do, instead of the framework's English text.
/// Placed right after the antiforgery middleware, for every endpoint that requires the check (pages and downloads).
/// </summary>
internal sealed class RefusedForms(RequestDelegate next)
{
    public const string Message = "Le formulaire n'a pas été accepté : il a expiré (page ouverte depuis longtemps, ou session changée entre-temps), ou l'un de ses champs contient un caractère que le serveur n'accepte pas. Rechargez la page, puis envoyez-le de nouveau.";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false }
            && context.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: true })
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                $"""
                <!DOCTYPE html>
                <html lang="fr"><head><meta charset="utf-8" /><title>Formulaire refusé — Observatoire des ISCG</title>
                <link rel="stylesheet" href="/lib/dsfr/dsfr.min.css" /></head>
                <body><main class="fr-container fr-my-4w"><h1>Formulaire refusé</h1>
                <div class="fr-alert fr-alert--error" role="alert"><p>{WebUtility.HtmlEncode(Message)}</p></div>
                <p class="fr-mt-3w"><a class="fr-link" href="/">Retour à l'accueil</a></p></main></body></html>
                """,
                context.RequestAborted);
            return;
        }

        await next(context);
    }
}
