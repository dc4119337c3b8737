using Observatoire.Core.Access;
using Observatoire.Server.Reports;
using Observatoire.Server.Security;

namespace Observatoire.Server.Web;

/// <summary>A post's bilan d'activité as a PDF from its page: the same decision as gRPC's GeneratePostBilan (its own post only, audited).</summary>
internal static class PostDownloads
{
    public static void Map(WebApplication app) =>
        app.MapGet("/poste/{postId}/bilan/{year:int}", DownloadBilanAsync).RequireAuthorization(Rights.Read);

    private static async Task<IResult> DownloadBilanAsync(HttpContext context, PostBilanRequests bilans, OpenStreams openStreams, string postId, int year)
    {
        if (context.Features.Get<CallerScope>() is not { } caller)
        {
            return Results.Unauthorized();
        }

        return await WebAnswers.OrRefusalAsync(async () =>
        {
            var bilan = await bilans.PrepareAsync(caller, postId, year, "", "web:bilan", context.RequestAborted);
            using var place = openStreams.Enter(caller.KeyId, OpenStreamKind.Reports);
            var pdf = await bilans.RenderAsync(bilan, context.RequestAborted);
            return Results.File(pdf, "application/pdf", bilan.FileName);
        });
    }
}
