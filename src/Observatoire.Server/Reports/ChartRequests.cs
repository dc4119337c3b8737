using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Reporting.Charts;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Grpc;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Reports;

/// <summary>Answers RenderChart: reads the request, builds the chart from published figures, renders it.</summary>
internal sealed class ChartRequests(ChartBuilder liveCharts, FigureViews views, AggregateQueries queries, RenderGate gate)
{
    private const int MaxSize = 4000;

    public async Task<Api.RenderChartResponse> RenderAsync(Api.RenderChartRequest request, CallerScope caller, CancellationToken ct)
    {
        var width = request.Width == 0 ? 1000 : request.Width;
        var height = request.Height == 0 ? 600 : request.Height;
        if (width is < 200 or > MaxSize || height is < 150 or > MaxSize)
        {
            throw RpcErrors.InvalidField(request.Width is < 200 or > MaxSize ? "width" : "height", "TAILLE_INVALIDE", $"La taille d'un graphique va de 200 × 150 à {MaxSize} × {MaxSize} pixels.");
        }

        var area = request.Area is null || request.Area.Level == Api.AreaLevel.Unspecified ? AreaRef.National : queries.ParseArea(request.Area);
        var period = queries.ParsePeriod(request.Period, "period");
        var valueMap = request.Kind == Api.ChartKind.Map && request.Cell is not ("couverture" or "");

        // A ranking shows the children of the area: their level is what the caller must be allowed to see. A map shows
        // every department whatever the area asked: the nation's departments are what is decided, and each is drawn
        // only if the caller may read it (as on the map page).
        AreaLevel? valuesLevel = request.Kind == Api.ChartKind.Ranking && area.Level != AreaLevel.Post ? area.Level + 1
            : valueMap ? AreaLevel.Department
            : null;
        var decided = valueMap ? AreaRef.National : area;
        var shown = valueMap && request.Disclosure != Api.Disclosure.Raw ? queries.MapDepartments(caller) : null;
        var raw = shown is null
            && await queries.DecideAsync(caller, decided, request.Disclosure, valuesLevel, $"RenderChart {request.Kind} {decided} {period}", ct);
        var published = request.Kind == Api.ChartKind.Completeness || (request.Kind == Api.ChartKind.Map && !valueMap)
            ? await views.ForAsync(request.AsOf, "as_of", anyInstant: true, caller.KeyId, ct) // grids received, posts per inhabitant: no figure
            : await queries.FiguresAsync(request.AsOf, caller, decided, valuesLevel, ct);
        AggregateArguments.RequireArea(published, area);
        var charts = liveCharts.At(published);
        var schema = views.Live.Consolidator.SchemaFor(period);
        Chart chart = request.Kind switch
        {
            Api.ChartKind.TimeSeries => Series(charts, request, area, period, raw, schema, width, height, ct),
            Api.ChartKind.Ranking => Ranking(charts, request, area, period, raw, schema, width, height),
            Api.ChartKind.Breakdown => Breakdown(charts, request, area, period, raw, schema, width, height),
            Api.ChartKind.Pyramid => charts.Pyramid(area, period, raw, width, height),
            Api.ChartKind.Completeness => charts.Completeness(area, period.Year, width, height),
            Api.ChartKind.Map => request.Cell is "couverture" or ""
                ? charts.CoverageMap(period, width, height)
                : charts.Map(Cell(schema, request.Cell), period, raw, width, height, shown),
            _ => throw RpcErrors.InvalidField("kind", "TYPE_GRAPHIQUE", "Le type de graphique est obligatoire : série, classement, ventilation, pyramide, complétude ou carte."),
        };
        var svg = request.Format == Api.ImageFormat.Svg;
        var image = await gate.RunAsync(() => svg ? ChartRenderer.RenderSvgBytes(chart) : ChartRenderer.RenderPng(chart), ct);
        return new Api.RenderChartResponse
        {
            Image = Google.Protobuf.ByteString.CopyFrom(image),
            ContentType = svg ? "image/svg+xml" : "image/png",
            Title = chart.Frame.Title,
        };
    }

    private TimeSeriesChart Series(ChartBuilder charts, Api.RenderChartRequest request, AreaRef area, Period period, bool raw, GridSchema schema, int width, int height, CancellationToken ct)
    {
        var kind = request.Granularity == Api.Granularity.Quarter ? PeriodKind.Quarter : PeriodKind.Month;
        var to = Period.Containing(period.End, kind);
        var from = request.From.Length > 0
            ? Period.Containing(queries.ParsePeriod(request.From, "from").Start, kind)
            : to.Shift(kind == PeriodKind.Month ? -11 : -3);
        if (from > to)
        {
            throw RpcErrors.InvalidField("from", "PERIODE_INVALIDE", $"La période de début {from} suit la période de fin {to}.");
        }

        return charts.Series(area, Cell(schema, request.Cell), from, to, raw, width, height, ct);
    }

    private static RankingChart Ranking(ChartBuilder charts, Api.RenderChartRequest request, AreaRef area, Period period, bool raw, GridSchema schema, int width, int height)
    {
        if (area.Level == AreaLevel.Post)
        {
            throw RpcErrors.InvalidField("area.level", "NIVEAU_INVALIDE", "Un poste n'a pas de subdivisions à classer.");
        }

        return charts.Ranking(area, Cell(schema, request.Cell), period, raw, width, height);
    }

    private static BreakdownChart Breakdown(ChartBuilder charts, Api.RenderChartRequest request, AreaRef area, Period period, bool raw, GridSchema schema, int width, int height)
    {
        var parts = request.Cell.Split('.');
        if (parts.Length != 2
            || !schema.IndicatorsByCode.TryGetValue(parts[0], out var indicator)
            || indicator.Breakdowns.FirstOrDefault(b => b.Code == parts[1]) is not { } breakdown)
        {
            throw RpcErrors.InvalidField("cell", "VENTILATION_INCONNUE", $"« {Core.Validation.ClientText.Quote(request.Cell)} » ne désigne pas une ventilation de la grille {schema.Version} (attendu indicateur.ventilation, par exemple personnes_recues.statut).");
        }

        return charts.Breakdown(area, indicator, breakdown, period, raw, width, height);
    }

    private static CellDefinition Cell(GridSchema schema, string text) =>
        AggregateArguments.SelectCell(schema, text.Length == 0 ? "personnes_nouvelles" : text, "cell");
}
