using System.Globalization;
using Grpc.Core;
using Observatoire.Core.Access;
using Observatoire.Server.Editions;
using Observatoire.Server.Reports;
using Observatoire.Server.Security;

namespace Observatoire.Server.Web;

/// <summary>
/// The annual report as a PDF from the report page: the same decision and the same document as gRPC's
/// GenerateAnnualReport (<see cref="AnnualReportRequests"/>). The writer assembles the whole file before its cross
/// references are known, so the bytes leave once it is drawn, as an attachment with its length. With <c>edition</c>,
/// the report of that edition's year from its figures (<see cref="EditionFigures"/>): for the national report, the very
/// bytes whose SHA-256 the edition recorded.
/// </summary>
internal static class ReportDownloads
{
    public const string Path = "/rapports/annuel.pdf";

    /// <summary>A department code longer than this is refused before anything is looked up.</summary>
    private const int MaxCodeLength = 8;

    public static void Map(WebApplication app) =>
        app.MapGet(Path, DownloadAsync).RequireAuthorization(Rights.Read);

    private static async Task<IResult> DownloadAsync(HttpContext context, AnnualReportRequests reports, EditionFigures editions, OpenStreams openStreams, string? annee, string? departement, string? edition)
    {
        if (context.Features.Get<CallerScope>() is not { } caller)
        {
            return Results.Unauthorized();
        }

        // A refused request goes back to the page, which shows why beside the field (and answers with the refusal's status).
        var back = Results.LocalRedirect($"/rapports?annee={Uri.EscapeDataString(annee ?? "")}&departement={Uri.EscapeDataString(departement ?? "")}{EditionQuery(edition)}");
        if (!int.TryParse(annee, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || departement?.Length > MaxCodeLength)
        {
            return back;
        }

        PreparedReport report;
        try
        {
            // The caller's right first, so that a refused caller never has an edition's figures loaded.
            report = reports.Prepare(caller, year, departement ?? "");
            if (!string.IsNullOrWhiteSpace(edition))
            {
                report = reports.Prepare(caller, year, departement ?? "", await editions.ForReportAsync(edition, year, caller.KeyId, context.RequestAborted));
            }
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.PermissionDenied)
        {
            return back;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            return Results.Text(e.Status.Detail, "text/plain; charset=utf-8", statusCode: StatusCodes.Status429TooManyRequests);
        }

        return await WebAnswers.OrRefusalAsync(async () =>
        {
            using var place = openStreams.Enter(caller.KeyId, OpenStreamKind.Reports);
            var pdf = new MemoryStream();
            await reports.RenderAsync(report, pdf, context.RequestAborted);
            pdf.Position = 0;
            return Results.Stream(pdf, "application/pdf", report.FileName);
        });
    }

    /// <summary>"&amp;edition=2026-03", or nothing for today's figures.</summary>
    public static string EditionQuery(string? edition) =>
        string.IsNullOrWhiteSpace(edition) ? "" : $"&edition={Uri.EscapeDataString(edition)}";
}
