using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Exports;

/// <summary>A code of an SDMX codelist with its French name.</summary>
public sealed record SdmxCode(string Id, string Name);

/// <summary>A dimension of the data structure: its concept id, French name and codelist (empty for the time period).</summary>
public sealed record SdmxDimension(string Id, string Name, string CodelistId, IReadOnlyList<SdmxCode> Codes);

/// <summary>
/// The SDMX data structure definition of a schema version, derived from the schema (nothing here knows a cell
/// code): the area, the indicator, one dimension per breakdown category of the schema, and the time period; the
/// OBS_VALUE measure; the OBS_STATUS and CONF_STATUS attributes with the SDMX cross-domain codes.
/// </summary>
public sealed class SdmxStructure
{
    public const string Agency = "FR_OBS_ISCG";
    public const string AreaDimension = "TERRITOIRE";
    public const string IndicatorDimension = "INDICATEUR";
    public const string TimeDimension = "TIME_PERIOD";
    public const string Measure = "OBS_VALUE";
    public const string ObsStatus = "OBS_STATUS";
    public const string ConfStatus = "CONF_STATUS";

    /// <summary>The code of a category an indicator is not broken down by (SDMX "not applicable").</summary>
    public const string NotApplicable = "_Z";

    /// <summary>The code of a category an indicator is broken down by, in its total (SDMX "total").</summary>
    public const string Total = "_T";

    public SdmxStructure(GridSchema schema, IEnumerable<ExportArea> areas)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        var categories = new List<Dimension>();
        foreach (var dimension in schema.Indicators.SelectMany(i => i.Breakdowns).SelectMany(b => b.Dimensions))
        {
            if (categories.All(c => c.Code != dimension.Code))
            {
                categories.Add(dimension);
            }
        }

        Categories = categories;
        var dimensions = new List<SdmxDimension>
        {
            new(AreaDimension, "Territoire", "CL_TERRITOIRE", [.. areas.Select(a => new SdmxCode(AreaCode(a), a.Name))]),
            new(IndicatorDimension, "Indicateur", "CL_INDICATEUR", [.. schema.Indicators.Select(i => new SdmxCode(i.Code.ToUpperInvariant(), i.Label))]),
        };
        foreach (var category in categories)
        {
            dimensions.Add(new(
                category.Code.ToUpperInvariant(),
                category.Label,
                "CL_" + category.Code.ToUpperInvariant(),
                [new SdmxCode(Total, "Total"), new SdmxCode(NotApplicable, "Sans objet"), .. category.Options.Select(o => new SdmxCode(o.Code.ToUpperInvariant(), o.Label))]));
        }

        Dimensions = dimensions;
    }

    public GridSchema Schema { get; }

    /// <summary>The breakdown categories of the schema, in order of first appearance.</summary>
    public IReadOnlyList<Dimension> Categories { get; }

    /// <summary>Every dimension but the time period, in key order.</summary>
    public IReadOnlyList<SdmxDimension> Dimensions { get; }

    public string DataStructureId => "DSD_ISCG";

    public string DataflowId => "DF_ISCG";

    /// <summary>The schema version as an SDMX version ("2025.1" becomes "2025.1.0").</summary>
    public string Version => Schema.Version.Count(c => c == '.') >= 2 ? Schema.Version : Schema.Version + ".0";

    /// <summary>The dataflow reference of SDMX-CSV's STRUCTURE_ID column.</summary>
    public string DataflowReference => $"{Agency}:{DataflowId}({Version})";

    public static IReadOnlyList<SdmxCode> ObservationStatuses { get; } =
    [
        new("A", "Valeur normale : toutes les grilles attendues"),
        new("P", "Provisoire : des grilles attendues manquent"),
        new("M", "Non dérivable des sous-périodes"),
        new("O", "Valeur manquante"),
    ];

    public static IReadOnlyList<SdmxCode> ConfidentialityStatuses { get; } =
    [
        new("F", "Libre"),
        new("A", "Secret primaire : petit effectif"),
        new("D", "Secret secondaire"),
        new("C", "Secret statistique : petit effectif ou secret secondaire, sans distinction"),
        new("N", "Non publié : secret en cours de calcul"),
    ];

    /// <summary>The area's code in CL_TERRITOIRE: FR, R + region code, D + department code.</summary>
    public static string AreaCode(ExportArea area) => area.Level switch
    {
        AreaLevel.National => "FR",
        AreaLevel.Region => "R" + area.Code,
        AreaLevel.Department => "D" + area.Code,
        _ => throw new ArgumentException("Les exports ne portent jamais de chiffre de poste.", nameof(area)),
    };

    /// <summary>The SDMX time period: 2025, 2025-Q1, 2025-03.</summary>
    public static string TimePeriod(Period period) => period.Kind switch
    {
        PeriodKind.Quarter => $"{period.Year}-Q{period.Index}",
        _ => period.ToString(),
    };

    /// <summary>The codes of an observation's dimensions but the time period, in key order.</summary>
    public IReadOnlyList<string> Key(ExportObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var key = new List<string>(Dimensions.Count) { AreaCode(observation.Area), observation.Cell.Indicator.Code.ToUpperInvariant() };
        foreach (var category in Categories)
        {
            var position = observation.Cell.Breakdown?.Dimensions.ToList().FindIndex(d => d.Code == category.Code) ?? -1;
            key.Add(position >= 0
                ? observation.Cell.Options[position].Code.ToUpperInvariant()
                : observation.Cell.Indicator.Breakdowns.Any(b => b.Dimensions.Any(d => d.Code == category.Code)) ? Total : NotApplicable);
        }

        return key;
    }

    public static string ObsStatusOf(ExportObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return observation.Status switch
        {
            FigureStatus.Complete => "A",
            FigureStatus.Partial when !observation.PartialExcluded => "P",
            FigureStatus.NotDerivable => "M",
            _ => "O",
        };
    }

    public static string ConfStatusOf(CellConfidentiality confidentiality) => confidentiality switch
    {
        CellConfidentiality.Primary => "A",
        CellConfidentiality.Secondary => "D",
        CellConfidentiality.Suppressed => "C",
        CellConfidentiality.Free => "F",
        _ => "N",
    };
}
