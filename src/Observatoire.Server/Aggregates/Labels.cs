using Observatoire.Core.Consolidation;
using Observatoire.Core.Schemas;

namespace Observatoire.Server.Aggregates;

/// <summary>French labels of cells and levels.</summary>
internal static class Labels
{
    public static string Of(CellDefinition cell) =>
        cell.IsTotal ? cell.Indicator.Label
        : IsYesNo(cell) ? $"{cell.Indicator.Label} — {cell.Breakdown!.Dimensions[0].Label} : {cell.Options[0].Label.ToLowerInvariant()}"
        : $"{cell.Indicator.Label} — {string.Join(", ", cell.Options.Select(o => o.Label))}";

    // "Oui" alone says nothing: name the question.
    private static bool IsYesNo(CellDefinition cell) =>
        cell.Options.Count == 1 && cell.Breakdown!.Dimensions[0].Options.Any(o => o.Code == "oui");

    public static string Of(AreaLevel level) => level switch
    {
        AreaLevel.National => "national",
        AreaLevel.Region => "régional",
        AreaLevel.Department => "départemental",
        _ => "poste",
    };
}
