using Observatoire.Protos.V1;

namespace Observatoire.Cli.Infrastructure;

/// <summary>The names of the chart kinds on the command line: French first, English aliases accepted.</summary>
public static class ChartKinds
{
    /// <summary>Accepted spellings of --kind, French.</summary>
    public const string Help = "serie|classement|ventilation|pyramide|completude|carte";

    private static readonly Dictionary<string, ChartKind> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["serie"] = ChartKind.TimeSeries,
        ["série"] = ChartKind.TimeSeries,
        ["series"] = ChartKind.TimeSeries,
        ["time-series"] = ChartKind.TimeSeries,
        ["classement"] = ChartKind.Ranking,
        ["ranking"] = ChartKind.Ranking,
        ["ventilation"] = ChartKind.Breakdown,
        ["breakdown"] = ChartKind.Breakdown,
        ["pyramide"] = ChartKind.Pyramid,
        ["pyramid"] = ChartKind.Pyramid,
        ["completude"] = ChartKind.Completeness,
        ["complétude"] = ChartKind.Completeness,
        ["completeness"] = ChartKind.Completeness,
        ["carte"] = ChartKind.Map,
        ["map"] = ChartKind.Map,
    };

    /// <summary>Reads a kind: serie, classement, ventilation, pyramide, completude, carte (or series, ranking, breakdown, pyramid, completeness, map).</summary>
    public static bool TryParse(string? text, out ChartKind kind)
    {
        kind = ChartKind.Unspecified;
        return text is not null && Names.TryGetValue(text.Trim(), out kind);
    }

    /// <summary>The French name of a kind, as typed on the command line and used in file names: "serie", "carte"...</summary>
    public static string Name(ChartKind kind) => kind switch
    {
        ChartKind.TimeSeries => "serie",
        ChartKind.Ranking => "classement",
        ChartKind.Breakdown => "ventilation",
        ChartKind.Pyramid => "pyramide",
        ChartKind.Completeness => "completude",
        ChartKind.Map => "carte",
        _ => "graphique",
    };

    /// <summary>Whether a kind reads --cell: series, ranking, breakdown and map do; pyramid and completeness do not.</summary>
    public static bool TakesCell(ChartKind kind) =>
        kind is ChartKind.TimeSeries or ChartKind.Ranking or ChartKind.Breakdown or ChartKind.Map;
}
