using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Observatoire.Core.Access;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Security;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Web;

/// <summary>The map's data as a CSV file for French spreadsheets (semicolons, decimal commas, UTF-8 with BOM): what the page shows, no more.</summary>
internal static class MapDownloads
{
    public static void Map(WebApplication app) =>
        app.MapGet("/analyse/carte.csv", DownloadAsync).RequireAuthorization(Rights.Read);

    private static async Task<IResult> DownloadAsync(
        HttpContext context, DepartmentMap map, AnalysisChoices choices, string? periode, string? indicateur,
        [FromQuery(Name = Analysis.AnalysisView.CutOffParameter)] string? cutOff)
    {
        if (context.Features.Get<CallerScope>() is not { } caller)
        {
            return Results.Unauthorized();
        }

        if (choices.CutOff(cutOff, out var asOf) is { } problem)
        {
            return Results.Text(problem, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        var (period, indicator) = choices.Resolve(periode, indicateur);
        return await WebAnswers.OrRefusalAsync(async () => Csv(
            await map.DownloadAsync(caller, period, indicator, Analysis.AnalysisView.ToTimestamp(asOf), context.RequestAborted), period, indicator));
    }

    private static IResult Csv(IReadOnlyList<DepartmentValue> values, Observatoire.Core.Periods.Period period, string indicator)
    {
        var french = CultureInfo.GetCultureInfo("fr-FR");
        var csv = new StringBuilder("code_departement;departement;valeur;taux_pour_100000;statut\r\n");
        foreach (var value in values.Where(v => v.InScope))
        {
            var status = value.Secret ? "secret" : value.Figure is { HasValue: true, Status: Api.FigureStatus.Partial } ? "partiel" : value.Figure is { HasValue: true } ? "publie" : "sans_donnee";
            csv.Append(value.Department.Code).Append(';')
                .Append(value.Department.Name.Replace(";", ",", StringComparison.Ordinal)).Append(';')
                .Append(value.Figure is { HasValue: true } f && !value.Secret ? f.Value.ToString(CultureInfo.InvariantCulture) : "").Append(';')
                .Append(value.Rate is { } rate && !value.Secret ? rate.ToString("0.0", french) : "").Append(';')
                .Append(status).Append("\r\n");
        }

        return Results.File(
            [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())],
            "text/csv; charset=utf-8",
            $"carte-{indicator}-{period}.csv");
    }
}
