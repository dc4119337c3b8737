using Microsoft.AspNetCore.Components;
using Observatoire.Core.Access;

namespace Observatoire.Server.Web.Components;

/// <summary>
/// A page rendered on the server for one request: the caller is the one authentication resolved from the
/// account cookie, the same <see cref="CallerScope"/> a gRPC call with an API key gets.
/// </summary>
public abstract class CallerPage : ComponentBase
{
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    protected HttpContext Http => HttpContext ?? throw new InvalidOperationException("Pages are rendered on the server only.");

    protected CallerScope Caller => Http.Features.Get<CallerScope>() ?? throw new InvalidOperationException("Page without a signed-in caller.");

    protected bool IsPost => HttpMethods.IsPost(Http.Request.Method);

    protected CancellationToken Aborted => Http.RequestAborted;

    /// <summary>Answers 403 with the refusal shown in the page (a refusal names the missing right only).</summary>
    protected void Refuse() => Http.Response.StatusCode = StatusCodes.Status403Forbidden;

    /// <summary>
    /// Answers 404 with the page as rendered, which says what was not found. Set as the response starts: Blazor sends
    /// a matched page whose status is already 404 when it has rendered without any body (an empty page in the browser).
    /// </summary>
    protected void AnswerNotFound()
    {
        var response = Http.Response;
        response.OnStarting(() =>
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    protected static string Number(long? value) => value?.ToString("N0", Culture) ?? "—";

    protected static readonly System.Globalization.CultureInfo Culture = System.Globalization.CultureInfo.GetCultureInfo("fr-FR");
}
