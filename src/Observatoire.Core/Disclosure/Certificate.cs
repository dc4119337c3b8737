namespace Observatoire.Core.Disclosure;

/// <summary>
/// A move of some cells' values (delta per cell) that keeps every relation a reader knows and every bound:
/// if its cells are hidden, a reader cannot tell the true table from the moved one.
/// </summary>
internal sealed record Certificate(int[] Cells, double[] Deltas, double Cost);

/// <summary>
/// Checks certificates against everything a reader knows of a <see cref="LinkedTable"/>: published and known
/// cells do not move, every relation keeps its equality or its sign, counts stay non-negative and a primary cell
/// stays within 1..k-1 (its flag says so).
/// </summary>
internal sealed class CertificateChecker
{
    private const double Tolerance = 1e-6;

    private readonly LinkedTable _table;
    private readonly int _threshold;
    private readonly long?[] _residuals;
    private readonly double[] _delta;
    private readonly int[] _seenRelation;
    private int _stamp;

    public CertificateChecker(LinkedTable table, int threshold, bool[] primary, bool primaryFlagPublished = true)
    {
        _table = table;
        _threshold = threshold;
        Primary = primary;
        Flagged = primaryFlagPublished ? primary : new bool[primary.Length];
        Hidden = (bool[])primary.Clone();
        _residuals = [.. table.Relations.Select(table.Residual)];
        _delta = new double[table.Size];
        _seenRelation = new int[table.Relations.Count];
    }

    public bool[] Primary { get; }

    /// <summary>The cells a reader knows to lie in 1..k-1: the primary cells where their flag is published, else none.</summary>
    public bool[] Flagged { get; }

    /// <summary>True when a reader knows the cell lies in 1..k-1 (a primary cell whose flag is published).</summary>
    public bool FlagBounded(int cell) => Flagged[cell];

    /// <summary>Primary and secondary cells so far.</summary>
    public bool[] Hidden { get; }

    public LinkedTable Table => _table;

    public int Threshold => _threshold;

    public long? ResidualOf(int relation) => _residuals[relation];

    /// <summary>
    /// The information lost by hiding the cell now: nothing when it is already hidden, or when it has no value (an
    /// unknown cell is never published; it cannot move either, see <see cref="CanMove"/>).
    /// </summary>
    public double Weight(int cell) => Hidden[cell] || _table.Values[cell] is not { } value ? 0 : value + 1;

    /// <summary>True when the cell may move by <paramref name="delta"/> as far as its own bounds go.</summary>
    public bool CanMove(int cell, double delta)
    {
        if (_table.Kinds[cell] != CellKind.Protectable)
        {
            return false;
        }

        var moved = _table.Values[cell]!.Value + delta;
        return FlagBounded(cell)
            ? moved >= 1 - Tolerance && moved <= _threshold - 1 + Tolerance
            : moved >= -Tolerance;
    }

    /// <summary>True when the move keeps every bound and every relation touching its cells (cells distinct).</summary>
    public bool IsValid(IReadOnlyList<int> cells, IReadOnlyList<double> deltas)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (!CanMove(cells[i], deltas[i]))
            {
                return false;
            }
        }

        for (var i = 0; i < cells.Count; i++)
        {
            _delta[cells[i]] = deltas[i];
        }

        _stamp++;
        var valid = true;
        for (var i = 0; i < cells.Count && valid; i++)
        {
            foreach (var r in _table.RelationsOf(cells[i]))
            {
                if (_seenRelation[r] == _stamp)
                {
                    continue;
                }

                _seenRelation[r] = _stamp;
                if (!Holds(r))
                {
                    valid = false;
                    break;
                }
            }
        }

        foreach (var cell in cells)
        {
            _delta[cell] = 0;
        }

        return valid;
    }

    private bool Holds(int r)
    {
        var relation = _table.Relations[r];
        var change = _delta[relation.Parent];
        foreach (var child in relation.Children)
        {
            change -= _delta[child];
        }

        return relation.Kind switch
        {
            RelationKind.AtLeast => _residuals[r]!.Value + change >= -Tolerance,
            RelationKind.AtMost => _residuals[r]!.Value + change <= Tolerance,
            _ => Math.Abs(change) <= Tolerance,
        };
    }
}
