using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Server.Aggregates;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Web.Analysis;

/// <summary>
/// What an analysis page looks at: an area, an indicator and a month (the series ends there; completeness covers its
/// year), with today's figures or, given <paramref name="AsOf"/>, those as of that instant (UTC).
/// </summary>
public readonly record struct AnalysisView(AreaRef Area, string Indicator, Period Period, DateTime? AsOf = null)
{
    /// <summary>The query string that designates this view on the pages and downloads.</summary>
    public string Query => $"?niveau={LevelName(Area.Level)}&code={Uri.EscapeDataString(Area.Code)}&indicateur={Uri.EscapeDataString(Indicator)}&periode={Period}{CutOffQuery(AsOf, '&')}";

    /// <summary>The instant of the figures as a request's <c>as_of</c>; null for today's.</summary>
    public Timestamp? AsOfTimestamp => ToTimestamp(AsOf);

    /// <summary>An instant (UTC) as a request's <c>as_of</c>; null for today's figures.</summary>
    public static Timestamp? ToTimestamp(DateTime? asOf) => asOf is { } instant ? Timestamp.FromDateTime(DateTime.SpecifyKind(instant, DateTimeKind.Utc)) : null;

    /// <summary>The query parameter of the « Données arrêtées au » field.</summary>
    public const string CutOffParameter = "arrete_au";

    /// <summary>"&amp;arrete_au=2026-03-31T12:00:00" (to the tick when needed), or nothing for today's figures.</summary>
    public static string CutOffQuery(DateTime? asOf, char separator) =>
        asOf is { } instant ? $"{separator}{CutOffParameter}={Uri.EscapeDataString(CutOffText(instant))}" : "";

    /// <summary>An instant as the field shows it: seconds, and the fraction only when there is one.</summary>
    public static string CutOffText(DateTime instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>"national", "region", "departement", "poste".</summary>
    public static string LevelName(AreaLevel level) => level switch
    {
        AreaLevel.National => "national",
        AreaLevel.Region => "region",
        AreaLevel.Department => "departement",
        _ => "poste",
    };

    public static AreaLevel? LevelOf(string? name) => name switch
    {
        "national" or null or "" => AreaLevel.National,
        "region" => AreaLevel.Region,
        "departement" => AreaLevel.Department,
        "poste" => AreaLevel.Post,
        _ => null,
    };

    /// <summary>The area's file name part: "national", "departement-01".</summary>
    public string AreaSlug => Area.Level == AreaLevel.National ? "national" : $"{LevelName(Area.Level)}-{Area.Code}";
}

/// <summary>
/// The tables of the analysis pages, each from the application service gRPC calls (Consolidate, GetSeries,
/// CompareAreas, GetCompleteness) with the caller's scope: a refusal is that service's PERMISSION_DENIED, and a
/// figure under statistical secrecy is the text "secret", never a number.
/// </summary>
internal sealed class AnalysisTables(AggregateQueries queries, DepartmentMap map, AnalysisChoices choices)
{
    public const string KeyFigures = "chiffres";
    public const string Series = "serie";
    public const string Ranking = "classement";
    public const string Completeness = "completude";
    public const string Map = "carte";

    /// <summary>The table named <paramref name="name"/> of the view, or null for an unknown name.</summary>
    public async Task<WebTable?> TableAsync(string name, CallerScope caller, AnalysisView view, CancellationToken ct) => name switch
    {
        KeyFigures => KeyFiguresTable(view, await map.KeyFiguresAsync(caller, view.Area, view.Period, choices.Indicators(view.Period).Select(i => i.Code), view.AsOfTimestamp, ct)),
        Series => SeriesTable(view, await SeriesAsync(caller, view, ct)),
        Ranking => RankingTable(view, await RankingAsync(caller, view, ct)),
        Completeness => LatePostsTable(view, await CompletenessAsync(caller, view, ct)),
        Map => MapTable(view, await map.DownloadAsync(caller, view.Period, view.Indicator, view.AsOfTimestamp, ct)),
        _ => null,
    };

    public Task<Api.GetSeriesResponse> SeriesAsync(CallerScope caller, AnalysisView view, CancellationToken ct) =>
        queries.GetSeriesAsync(
            new Api.GetSeriesRequest
            {
                Area = Area(view.Area),
                Cell = view.Indicator,
                From = view.Period.Shift(-11).ToString(),
                To = view.Period.ToString(),
                Granularity = Api.Granularity.Month,
                Disclosure = map.DisclosureFor(caller, view.Area, view.Area.Level),
                AsOf = view.AsOfTimestamp,
            },
            caller,
            ct);

    public Task<Api.CompareAreasResponse> RankingAsync(CallerScope caller, AnalysisView view, CancellationToken ct) =>
        queries.CompareAreasAsync(
            new Api.CompareAreasRequest
            {
                Area = Area(view.Area),
                Cell = view.Indicator,
                Period = view.Period.ToString(),
                Disclosure = map.DisclosureFor(caller, view.Area, ChildLevel(view.Area.Level)),
                AsOf = view.AsOfTimestamp,
            },
            caller,
            ct);

    public Task<Api.GetCompletenessResponse> CompletenessAsync(CallerScope caller, AnalysisView view, CancellationToken ct) =>
        queries.GetCompletenessAsync(
            new Api.GetCompletenessRequest { Area = Area(view.Area), Period = view.Period.Year.ToString(CultureInfo.InvariantCulture), AsOf = view.AsOfTimestamp },
            caller,
            ct);

    public static WebTable KeyFiguresTable(AnalysisView view, Api.ConsolidateResponse response) => new(
        $"chiffres-{view.AreaSlug}-{view.Period}",
        $"Chiffres clés, {response.Area.Name}, {view.Period.Label}",
        ["Indicateur", "Valeur", "Pour 100 000 hab.", "Un an plus tôt", "Évolution"],
        [.. response.Figures.Select(f => (IReadOnlyList<TableCell>)
        [
            new(f.Label),
            Figure(f.HasValue ? f.Value : null, f.Confidentiality, f.Status),
            f.HasRatePer100K && f.HasValue ? TableCell.Rate(f.RatePer100K) : new("—"),
            f.HasPreviousYearValue ? TableCell.Count(f.PreviousYearValue) : new("—"),
            f.HasChange ? new(f.Change.ToString("+#,0;-#,0;0", French) + (f.HasChangePercent ? $" ({f.ChangePercent.ToString("+0.0;-0.0;0", French)} %)" : ""), f.Change) : new("—"),
        ])]);

    public static WebTable SeriesTable(AnalysisView view, Api.GetSeriesResponse series) => new(
        $"serie-{view.Indicator}-{view.AreaSlug}-{view.Period}",
        $"{series.Label} par mois, {series.Area.Name}, de {Period.Parse(series.Points[0].Period).Label} à {view.Period.Label}",
        ["Mois", "Valeur", "Évolution sur un mois", "Évolution sur un an", "Postes ayant déposé, sur les postes qui déposent chaque mois"],
        [.. series.Points.Select(p => (IReadOnlyList<TableCell>)
        [
            new(Period.Parse(p.Period).Label),
            Figure(p.HasValue ? p.Value : null, p.Confidentiality, p.Status),
            p.HasChange ? new(p.Change.ToString("+#,0;-#,0;0", French), p.Change) : new("—"),
            p.HasYearOverYearChange ? new(p.YearOverYearChange.ToString("+#,0;-#,0;0", French), p.YearOverYearChange) : new("—"),
            new($"{p.ContributingPosts} sur {p.DuePosts}"),
        ])]);

    /// <summary>The children of the area, by rate per 100,000 inhabitants (posts, which have no population, by value).</summary>
    public static WebTable RankingTable(AnalysisView view, Api.CompareAreasResponse ranking)
    {
        var ordered = ranking.Children
            .OrderByDescending(c => c.HasRatePer100K ? c.RatePer100K : double.MinValue)
            .ThenByDescending(c => c.HasValue ? c.Value : long.MinValue)
            .ThenBy(c => c.Area.Code, StringComparer.Ordinal)
            .ToList();
        var rank = 0;
        return new(
            $"classement-{view.Indicator}-{view.AreaSlug}-{view.Period}",
            $"{ranking.Label}, {view.Period.Label} : {ChildrenName(view.Area.Level)} de {ranking.Parent.Name} pour 100 000 habitants",
            ["Territoire", "Rang", "Valeur", "Pour 100 000 hab.", "Population"],
            [.. ordered.Select(c => (IReadOnlyList<TableCell>)
            [
                new($"{c.Area.Name} ({c.Area.Code})", Href: $"/analyse/territoire{(view with { Area = new AreaRef((AreaLevel)(int)c.Area.Level, c.Area.Code) }).Query}"),
                c.HasValue ? new((++rank).ToString(CultureInfo.InvariantCulture), rank) : new("—"),
                Figure(c.HasValue ? c.Value : null, c.Confidentiality, c.Status),
                c.HasRatePer100K ? TableCell.Rate(c.RatePer100K) : new("—"),
                c.Area.Population > 0 ? TableCell.Count(c.Area.Population) : new("—"),
            ])]);
    }

    /// <summary>The posts with a grid late or missing in the year, most missing first.</summary>
    public static WebTable LatePostsTable(AnalysisView view, Api.GetCompletenessResponse completeness) => new(
        $"retards-{view.AreaSlug}-{view.Period.Year}",
        $"Postes en retard ou sans grille en {view.Period.Year}, {completeness.Area.Name}",
        ["Poste", "Département", "Grilles attendues", "Reçues", "En retard", "Manquantes", "Périodes manquantes"],
        [.. completeness.Posts
            .Where(p => p.Counts.Late > 0 || p.Counts.Missing > 0)
            .OrderByDescending(p => p.Counts.Missing).ThenByDescending(p => p.Counts.Late).ThenBy(p => p.PostId, StringComparer.Ordinal)
            .Select(p => (IReadOnlyList<TableCell>)
            [
                new($"{p.PostName} ({p.PostId})"),
                new(p.DepartmentCode),
                TableCell.Count(p.Counts.Expected),
                TableCell.Count(p.Counts.Received),
                TableCell.Count(p.Counts.Late),
                TableCell.Count(p.Counts.Missing),
                new(string.Join(", ", p.MissingPeriods)),
            ])]);

    public static WebTable MapTable(AnalysisView view, IReadOnlyList<DepartmentValue> values) => new(
        $"carte-{view.Indicator}-{view.Period}",
        $"Valeurs par département, {view.Period.Label}",
        ["Département", "Valeur", "Pour 100 000 hab."],
        [.. values.Where(v => v.InScope).Select(v => (IReadOnlyList<TableCell>)
        [
            new($"{v.Department.Name} ({v.Department.Code})"),
            v.Figure is { } f ? Figure(f.HasValue ? f.Value : null, f.Confidentiality, f.Status) : new("—"),
            v.Rate is { } rate && !v.Secret ? TableCell.Rate(rate) : new("—"),
        ])]);

    /// <summary>A published figure: its value, "secret" under statistical secrecy, "—" when nothing was published.</summary>
    public static TableCell Figure(long? value, Api.Confidentiality confidentiality, Api.FigureStatus status) => (value, confidentiality, status) switch
    {
        (_, Api.Confidentiality.Primary or Api.Confidentiality.Secondary or Api.Confidentiality.Suppressed, _) => new("secret"),
        (_, Api.Confidentiality.Pending, _) => new("secret en cours de calcul"),
        (_, Api.Confidentiality.Withheld, _) => new("non publié (plan de secret indisponible)"),
        ({ } v, _, Api.FigureStatus.Partial) => new(v.ToString("N0", French) + " (partiel)", v),
        ({ } v, _, _) => TableCell.Count(v),
        (null, _, Api.FigureStatus.NotDerivable) => new("non calculable"),
        _ => new("—"),
    };

    public static string ChildrenName(AreaLevel level) => level switch
    {
        AreaLevel.National => "régions",
        AreaLevel.Region => "départements",
        _ => "postes",
    };

    /// <summary>The level of the areas a ranking and a ranking chart show: the children of the area.</summary>
    public static AreaLevel ChildLevel(AreaLevel level) => level == AreaLevel.Post ? AreaLevel.Post : level + 1;

    private static Api.Area Area(AreaRef area) => new() { Level = (Api.AreaLevel)(int)area.Level, Code = area.Code };

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
}
