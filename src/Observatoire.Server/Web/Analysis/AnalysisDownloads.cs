using Microsoft.AspNetCore.Mvc;
using Observatoire.Core.Access;
using Observatoire.Server.Reports;
using Observatoire.Server.Security;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Web.Analysis;

/// <summary>
/// Every table of the analysis pages as CSV (French spreadsheets) or XLSX, and every chart as SVG or PNG: the same
/// tables as the page (<see cref="AnalysisTables"/>) and the charts of gRPC's RenderChart (<see cref="ChartRequests"/>).
/// </summary>
internal static class AnalysisDownloads
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/analyse/tableau/{name}.{format}", TableAsync).RequireAuthorization(Rights.Read);
        app.MapGet("/analyse/graphique/{kind}.{format}", ChartAsync).RequireAuthorization(Rights.Read);
    }

    /// <summary>The chart kinds the pages draw, by their name in the address.</summary>
    public static Api.ChartKind? KindOf(string name) => name switch
    {
        AnalysisTables.Series => Api.ChartKind.TimeSeries,
        AnalysisTables.Ranking => Api.ChartKind.Ranking,
        AnalysisTables.Completeness => Api.ChartKind.Completeness,
        _ => null,
    };

    private static async Task<IResult> TableAsync(
        HttpContext context, AnalysisTables tables, AnalysisChoices choices, string name, string format,
        string? niveau, string? code, string? indicateur, string? periode, [FromQuery(Name = AnalysisView.CutOffParameter)] string? cutOff)
    {
        if (context.Features.Get<CallerScope>() is not { } caller)
        {
            return Results.Unauthorized();
        }

        if (choices.CutOff(cutOff, out var asOf) is { } problem)
        {
            return Results.Text(problem, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        if (format is not ("csv" or "xlsx") || choices.View(caller, niveau, code, indicateur, periode, asOf) is not { } view)
        {
            return Results.NotFound();
        }

        return await WebAnswers.OrRefusalAsync(async () =>
        {
            if (await tables.TableAsync(name, caller, view, context.RequestAborted) is not { } table)
            {
                return Results.NotFound();
            }

            return format == "csv"
                ? Results.File(table.ToCsv(), "text/csv; charset=utf-8", table.Name + ".csv")
                : Results.File(table.ToXlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", table.Name + ".xlsx");
        });
    }

    private static async Task<IResult> ChartAsync(
        HttpContext context, ChartRequests charts, AnalysisChoices choices, Aggregates.DepartmentMap map, string kind, string format,
        string? niveau, string? code, string? indicateur, string? periode, [FromQuery(Name = AnalysisView.CutOffParameter)] string? cutOff)
    {
        if (context.Features.Get<CallerScope>() is not { } caller)
        {
            return Results.Unauthorized();
        }

        if (choices.CutOff(cutOff, out var asOf) is { } problem)
        {
            return Results.Text(problem, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        if (format is not ("svg" or "png") || KindOf(kind) is not { } chartKind || choices.View(caller, niveau, code, indicateur, periode, asOf) is not { } view)
        {
            return Results.NotFound();
        }

        return await WebAnswers.OrRefusalAsync(async () =>
        {
            var request = new Api.RenderChartRequest
            {
                Kind = chartKind,
                Area = new Api.Area { Level = (Api.AreaLevel)(int)view.Area.Level, Code = view.Area.Code },
                Period = chartKind == Api.ChartKind.Completeness ? view.Period.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) : view.Period.ToString(),
                Granularity = Api.Granularity.Month,
                Cell = view.Indicator,
                Format = format == "svg" ? Api.ImageFormat.Svg : Api.ImageFormat.Png,
                Width = 1000,
                Height = chartKind == Api.ChartKind.Completeness ? 900 : 500,
                Disclosure = map.DisclosureFor(caller, view.Area, chartKind == Api.ChartKind.Ranking ? AnalysisTables.ChildLevel(view.Area.Level) : view.Area.Level),
                AsOf = view.AsOfTimestamp,
            };
            var image = await charts.RenderAsync(request, caller, context.RequestAborted);
            return Results.File(image.Image.ToByteArray(), image.ContentType, $"{kind}-{view.Indicator}-{view.AreaSlug}-{view.Period}.{format}");
        });
    }
}
