using Observatoire.Core.Disclosure;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// Protects one indicator's figures for every department and region of a period at once. The
/// published margins are each area's breakdowns with their total, and the departments of a region
/// with the region, and the regions with the nation; a pattern computed on the whole hierarchy is
/// the same whichever area a caller asks for, so answers cannot be combined to undo it. National
/// figures are always published.
/// </summary>
public static class HierarchyDisclosure
{
    public static IReadOnlyDictionary<(AreaRef Area, int Cell), CellConfidentiality> Protect(
        IReadOnlyDictionary<AreaRef, AreaFigures> hierarchy,
        RegistrySnapshot registry,
        Indicator indicator,
        bool excludePartial,
        DisclosureControl control)
    {
        var schema = hierarchy[AreaRef.National].Schema;
        var cells = schema.Layout.Cells.Where(c => ReferenceEquals(c.Indicator, indicator)).ToList();
        var areas = hierarchy.Keys
            .OrderBy(a => a.Level)
            .ThenBy(a => a.Code, StringComparer.Ordinal)
            .ToList();
        var variable = new Dictionary<(AreaRef, int), int>();
        var values = new List<long?>();
        var protectable = new List<bool>();
        foreach (var area in areas)
        {
            foreach (var cell in cells)
            {
                variable[(area, cell.Index)] = values.Count;
                values.Add(hierarchy[area].StatedValue(cell.Index, excludePartial));
                protectable.Add(area.Level != AreaLevel.National);
            }
        }

        var margins = new List<Margin>();
        foreach (var area in areas)
        {
            // An area's breakdown adds up to its total.
            if (indicator.HasTotal)
            {
                var total = variable[(area, schema.Layout.IndexOf(indicator.Code))];
                foreach (var breakdown in indicator.Breakdowns.Where(b => b.SumsToTotal))
                {
                    margins.Add(new Margin(total, [.. schema.Layout.CellsOf(indicator, breakdown).Select(c => variable[(area, c.Index)])]));
                }
            }

            // Departments add up to their region, regions to the nation.
            var children = area.Level switch
            {
                AreaLevel.National => registry.Regions.Keys.Select(r => new AreaRef(AreaLevel.Region, r)).ToList(),
                AreaLevel.Region => registry.DepartmentsByRegion.GetValueOrDefault(area.Code, []).Select(d => new AreaRef(AreaLevel.Department, d.Code)).ToList(),
                _ => [],
            };
            if (children.Count > 0)
            {
                foreach (var cell in cells)
                {
                    margins.Add(new Margin(variable[(area, cell.Index)], [.. children.Select(child => variable[(child, cell.Index)])]));
                }
            }
        }

        var statuses = control.Protect(new DisclosureTable(values, protectable, margins));
        return variable.ToDictionary(v => v.Key, v => statuses[v.Value]);
    }
}
