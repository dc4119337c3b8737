using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Server.Grpc;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Aggregates;

/// <summary>Reads the arguments of the analysts' queries: areas, periods, cells; refuses malformed ones with INVALID_ARGUMENT or NOT_FOUND.</summary>
internal static class AggregateArguments
{
    /// <summary>Queries may look this many years past the current one (a period not yet over has partial figures).</summary>
    public const int HorizonYears = 1;

    /// <summary>Most points of a series (fifty years of months).</summary>
    public const int MaxSeriesPoints = 600;

    /// <summary>The area of a query: a level, a code unless national, and known to <paramref name="registry"/>.</summary>
    public static AreaRef ParseArea(Api.Area? area, RegistrySnapshot registry)
    {
        if (area is null || area.Level == Api.AreaLevel.Unspecified)
        {
            throw RpcErrors.InvalidField("area.level", "NIVEAU_ABSENT", "Le niveau géographique est obligatoire : national, région, département ou poste.");
        }

        // Department codes are upper case ("2A"); post ids are taken as given.
        var level = (AreaLevel)(int)area.Level;
        var result = new AreaRef(level, level switch
        {
            AreaLevel.National => "",
            AreaLevel.Post => area.Code,
            _ => area.Code.ToUpperInvariant(),
        });

        if (result.Level != AreaLevel.National && result.Code.Length == 0)
        {
            throw RpcErrors.InvalidField("area.code", "CODE_ABSENT", "Le code de la zone est obligatoire hors niveau national.");
        }

        if (!registry.Exists(result))
        {
            throw RpcErrors.NotFound($"La zone « {ClientText.Quote(area.Code)} » n'existe pas au niveau {Labels.Of(result.Level)}.");
        }

        return result;
    }

    /// <summary>A well-formed period not after the end of the year after <paramref name="today"/>'s (queries and campaigns alike).</summary>
    public static Period ParsePeriod(string text, string field, DateOnly today)
    {
        var period = ParseAnyPeriod(text, field);
        var lastYear = today.Year + HorizonYears;
        return period.Year <= lastYear
            ? period
            : throw RpcErrors.InvalidField(field, "PERIODE_HORS_HORIZON", $"La période {period} est trop lointaine : les périodes vont jusqu'à {lastYear}.");
    }

    /// <summary>A well-formed period, whatever its year.</summary>
    public static Period ParseAnyPeriod(string text, string field) =>
        Period.TryParse(text, out var period)
            ? period
            : throw RpcErrors.InvalidField(field, "PERIODE_INVALIDE", $"La période « {ClientText.Quote(text)} » est invalide : attendu AAAA-MM, AAAA-Tn ou AAAA.");

    public static List<CellDefinition> SelectCells(GridSchema schema, IReadOnlyCollection<string> requested, string field)
    {
        if (requested.Count == 0)
        {
            return [.. schema.Layout.Cells];
        }

        var result = new List<CellDefinition>();
        foreach (var text in requested)
        {
            if (schema.IndicatorsByCode.TryGetValue(text, out var indicator))
            {
                result.AddRange(schema.Layout.Cells.Where(c => ReferenceEquals(c.Indicator, indicator)));
            }
            else if (CellKey.TryParse(text, out var key) && Canonical(schema, key) is { } index)
            {
                result.Add(schema.Layout.Cells[index]);
            }
            else
            {
                throw RpcErrors.InvalidField(field, "CELLULE_INCONNUE", $"« {ClientText.Quote(text)} » n'est ni un indicateur ni une cellule de la grille {schema.Version}.");
            }
        }

        return [.. result.Distinct()];
    }

    /// <summary>One cell: a cell path, or an indicator code for its total (its first cell when it has none).</summary>
    public static CellDefinition SelectCell(GridSchema schema, string text, string field)
    {
        if (text.Length == 0)
        {
            throw RpcErrors.InvalidField(field, "CELLULE_ABSENTE", "La cellule est obligatoire : un indicateur (personnes_nouvelles) ou une cellule (personnes_nouvelles[origine=justice]).");
        }

        return SelectCells(schema, [text], field)[0];
    }

    public static IEnumerable<CellDefinition> OutlierCells(GridSchema schema, IReadOnlyCollection<string> requested) =>
        requested.Count == 0
            ? schema.Layout.Cells.Where(c => c.IsTotal)
            : SelectCells(schema, requested, "cells");

    private static int? Canonical(GridSchema schema, CellKey key)
    {
        if (!schema.IndicatorsByCode.TryGetValue(key.Indicator, out var indicator))
        {
            return null;
        }

        if (key.IsTotal)
        {
            return schema.Layout.TryGetIndex(key.Indicator, out var total) ? total : null;
        }

        var breakdown = indicator.BreakdownFor([.. key.Coordinates.Select(c => c.Key)]);
        if (breakdown is null)
        {
            return null;
        }

        var lookup = key.Coordinates.ToDictionary(c => c.Key, c => c.Value);
        var canonical = CellKey.Format(indicator.Code, breakdown.Dimensions.Select(d => new KeyValuePair<string, string>(d.Code, lookup[d.Code])));
        return schema.Layout.TryGetIndex(canonical, out var index) ? index : null;
    }

    public static List<Period> PeriodsBetween(Period from, Period to, PeriodKind kind)
    {
        var first = Period.Containing(from.Start, kind);
        var last = Period.Containing(to.End, kind);
        var result = new List<Period>();
        for (var p = first; p <= last && result.Count <= MaxSeriesPoints; p = p.Shift(1))
        {
            result.Add(p);
        }

        return result;
    }

    /// <summary>NOT_FOUND when the area is not in the figures' registry (a post entered after their instant).</summary>
    public static void RequireArea(PublishedFigures published, AreaRef area)
    {
        ArgumentNullException.ThrowIfNull(published);
        if (published.AsOf is { } asOf && !published.Registry.Exists(area))
        {
            throw RpcErrors.NotFound($"Le poste « {ClientText.Quote(area.Code)} » n'était pas encore inscrit au registre le {asOf:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        }
    }
}
