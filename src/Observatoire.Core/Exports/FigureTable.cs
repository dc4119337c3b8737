using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Exports;

/// <summary>An area as exports name it: its level, code and French name.</summary>
public sealed record ExportArea(AreaLevel Level, string Code, string Name);

/// <summary>
/// One published figure to export. <see cref="Value"/> is null whenever the figure is not free to publish or has no
/// value: a secret figure travels as its confidentiality status only.
/// </summary>
public sealed record ExportObservation(ExportArea Area, CellDefinition Cell, long? Value, FigureStatus Status, bool PartialExcluded, CellConfidentiality Confidentiality);

/// <summary>The published figures of one period and schema version, for every area of the export.</summary>
public sealed class FigureTable
{
    public FigureTable(GridSchema schema, Period period, IReadOnlyList<ExportObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Any(o => o.Value is not null && o.Confidentiality != CellConfidentiality.Free))
        {
            // Writers rely on it: a secret figure never carries a number, whatever the caller built.
            throw new ArgumentException("Un chiffre secret ne peut pas porter de valeur.", nameof(observations));
        }

        if (observations.Any(o => o.Area.Level == AreaLevel.Post))
        {
            throw new ArgumentException("Les exports ne portent jamais de chiffre de poste.", nameof(observations));
        }

        Schema = schema;
        Period = period;
        Observations = observations;
    }

    public GridSchema Schema { get; }

    public Period Period { get; }

    public IReadOnlyList<ExportObservation> Observations { get; }
}
