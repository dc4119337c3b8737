using System.Runtime.InteropServices;
using static Observatoire.Core.Disclosure.PrimeField;

namespace Observatoire.Core.Disclosure;

/// <summary>
/// The margin equations seen by an attacker, restricted to the unknown cells (suppressed or null), kept in
/// reduced row echelon form while unknowns are added one at a time, so that "which unknowns can be
/// recomputed" is always known without redoing an elimination.
/// </summary>
/// <remarks>
/// <para>
/// Let A be the equation matrix (one row per margin: +1 on the total, -1 on each part) and A_U its columns
/// for the unknown cells U. The published cells only move to the right-hand side, so an unknown x_i is
/// recomputable ("determined") exactly when e_i lies in the row space of A_U, i.e. when every null-space
/// vector of A_U has component i equal to zero.
/// </para>
/// <para>
/// We keep an invertible matrix T (one row per equation, one column per equation) such that R = T A_U is in
/// reduced form: every unknown is either a pivot (its column of R is a unit vector, at its pivot row) or
/// free (its column of R is zero outside pivot rows). Free unknowns are never determined; a pivot unknown
/// is determined until some free column has a non-zero entry in its pivot row. Row r of T is a
/// combination of margins that recomputes the pivot of row r: the attacker's "derivation".
/// </para>
/// <para>
/// Adding an unknown j only appends the column v = T c_j (c_j: the margins j belongs to). If v is zero on
/// every non-pivot row, j is a combination of unknowns already there: it is free, and it frees the pivots
/// of the rows where v is non-zero. Otherwise one non-pivot row becomes j's pivot row; eliminating it
/// from the other rows changes T but no existing column of R, because a non-pivot row of R is zero. So
/// adding an unknown never makes a hidden cell recomputable again: the set of determined cells only
/// shrinks, and each addition costs one sparse column product and at most one sparse row elimination
/// instead of a fresh elimination. T is stored sparse: margins are local, so it stays close to the identity
/// (a few thousand entry updates for a national table).
/// </para>
/// <para>
/// Arithmetic is exact, in the prime field of <see cref="PrimeField"/>.
/// </para>
/// </remarks>
internal sealed class UnknownSystem
{
    private readonly int _equationCount;

    // Cell -> (equation, coefficient), compressed rows.
    private readonly int[] _cellStart;
    private readonly int[] _cellEquation;
    private readonly ulong[] _cellCoefficient;

    // Equation -> cells, compressed rows.
    private readonly int[] _equationStart;
    private readonly int[] _equationCell;

    // T, sparse: it stays close to the identity because margins are local. Row t holds its entries by
    // equation; _columnRows[e] lists the rows holding an entry for equation e (an entry that cancels to zero
    // stays stored, so a row is listed at most once per equation).
    private readonly Dictionary<int, ulong>[] _rows;
    private readonly List<int>[] _columnRows;
    private readonly int[] _cellOfPivotRow;
    private readonly int[] _pivotRowOfCell;
    private readonly bool[] _unknown;
    private readonly bool[] _undetermined;

    // Two fixed pseudo-random combinations of the non-pivot rows of T ("probes"). Those rows span the vectors
    // orthogonal to every unknown column: they give the part of a cell's column that the unknown columns do
    // not explain (its "residue"). A probe applied to a column is a random linear image of that residue: zero
    // when the column is a combination of unknown columns, non-zero otherwise except with probability 1/p,
    // and two columns with proportional residues have proportional images under both probes. Probes only rank
    // candidates: a real addition recomputes its column exactly.
    private readonly ulong[][] _rowWeight = new ulong[2][];
    private readonly ulong[][] _probe = new ulong[2][];

    // Scratch for an added column v = T c: its values, and the rows where it may be non-zero.
    private readonly ulong[] _column;
    private readonly bool[] _columnTouched;
    private readonly List<int> _touchedRows = [];
    private readonly List<KeyValuePair<int, ulong>> _pivotEntries = [];

    // Bounds on the small systems of local derivations (their elimination costs unknowns x equations^2).
    // National tables stay far below: about 20 margins and 20 unknowns, 90 and 130 with a two-way breakdown.
    private const int LocalEquationLimit = 96;
    private const int LocalUnknownLimit = 384;

    // Scratch for local derivations.
    private readonly int[] _equationLocalStamp;
    private readonly int[] _equationLocalIndex;
    private readonly int[] _cellLocalStamp;
    private int _localStamp;

    /// <param name="cellCount">Number of cells.</param>
    /// <param name="equations">Each equation as (cell, coefficient) pairs with distinct cells and non-zero coefficients.</param>
    public UnknownSystem(int cellCount, IReadOnlyList<(int Cell, long Coefficient)[]> equations)
    {
        _equationCount = equations.Count;
        var m = _equationCount;

        _equationStart = new int[m + 1];
        var cellDegree = new int[cellCount + 1];
        for (var e = 0; e < m; e++)
        {
            _equationStart[e + 1] = _equationStart[e] + equations[e].Length;
            foreach (var (cell, _) in equations[e])
            {
                cellDegree[cell + 1]++;
            }
        }

        _equationCell = new int[_equationStart[m]];
        _cellStart = new int[cellCount + 1];
        for (var c = 0; c < cellCount; c++)
        {
            _cellStart[c + 1] = _cellStart[c] + cellDegree[c + 1];
        }

        _cellEquation = new int[_cellStart[cellCount]];
        _cellCoefficient = new ulong[_cellStart[cellCount]];
        var fill = _cellStart[..cellCount];
        for (var e = 0; e < m; e++)
        {
            var k = _equationStart[e];
            foreach (var (cell, coefficient) in equations[e])
            {
                _equationCell[k++] = cell;
                _cellEquation[fill[cell]] = e;
                _cellCoefficient[fill[cell]] = FromInt64(coefficient);
                fill[cell]++;
            }
        }

        _rows = new Dictionary<int, ulong>[m];
        _columnRows = new List<int>[m];
        for (var e = 0; e < m; e++)
        {
            _rows[e] = new Dictionary<int, ulong> { [e] = 1 };
            _columnRows[e] = [e];
        }

        _cellOfPivotRow = new int[m];
        Array.Fill(_cellOfPivotRow, -1);
        _pivotRowOfCell = new int[cellCount];
        Array.Fill(_pivotRowOfCell, -1);
        _unknown = new bool[cellCount];
        _undetermined = new bool[cellCount];

        // SplitMix64 from a fixed seed: deterministic, and unrelated to the structure of any table.
        var state = 0x5DEECE66DUL;
        for (var probe = 0; probe < 2; probe++)
        {
            _rowWeight[probe] = new ulong[m];
            for (var e = 0; e < m; e++)
            {
                ulong w;
                do
                {
                    state += 0x9E3779B97F4A7C15UL;
                    var x = state;
                    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
                    x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
                    w = (x ^ (x >> 31)) & Prime;
                }
                while (w is 0 or Prime);

                _rowWeight[probe][e] = w;
            }

            _probe[probe] = (ulong[])_rowWeight[probe].Clone();
        }

        _column = new ulong[m];
        _columnTouched = new bool[m];
        _equationLocalStamp = new int[m];
        _equationLocalIndex = new int[m];
        _cellLocalStamp = new int[cellCount];
    }

    public int EquationCount => _equationCount;

    public bool IsUnknown(int cell) => _unknown[cell];

    /// <summary>An unknown that the published cells and margins still pin down to one value.</summary>
    public bool IsDetermined(int cell) => _unknown[cell] && !_undetermined[cell];

    public ReadOnlySpan<int> EquationsOf(int cell) => _cellEquation.AsSpan(_cellStart[cell], _cellStart[cell + 1] - _cellStart[cell]);

    public ReadOnlySpan<int> CellsOf(int equation) => _equationCell.AsSpan(_equationStart[equation], _equationStart[equation + 1] - _equationStart[equation]);

    /// <summary>
    /// For a determined unknown: fills <paramref name="weights"/> (one per equation, all zero on entry) with a
    /// combination of margins that recomputes it, and returns the equations it uses. Suppressing a published
    /// cell that has a non-zero <see cref="Dot"/> with it breaks this derivation.
    /// </summary>
    /// <remarks>
    /// Any derivation would do for correctness, but the one T holds depends on the order of elimination and
    /// may go through remote margins, whose cells protect the exposed cell poorly. So we look for the
    /// attacker's nearest one first: the cell's own margins, then also the margins of the unknowns they
    /// involve, and so on (breadth first), solving each time the small system "combination of these margins,
    /// restricted to the unknowns, equals e_cell". Past <see cref="LocalEquationLimit"/> margins or
    /// <see cref="LocalUnknownLimit"/> unknowns, T's row is used.
    /// </remarks>
    public List<int> Derivation(int cell, ulong[] weights)
    {
        if (!IsDetermined(cell))
        {
            throw new InvalidOperationException("The cell is not a determined unknown.");
        }

        _localStamp++;
        var equations = new List<int>();
        var unknowns = new List<int> { cell };
        _cellLocalStamp[cell] = _localStamp;
        var expanded = 0;
        while (unknowns.Count > expanded && equations.Count <= LocalEquationLimit && unknowns.Count <= LocalUnknownLimit)
        {
            // One more layer: the margins of the unknowns met so far, then the unknowns of those margins.
            var firstNewEquation = equations.Count;
            for (; expanded < unknowns.Count; expanded++)
            {
                foreach (var e in EquationsOf(unknowns[expanded]))
                {
                    if (_equationLocalStamp[e] != _localStamp)
                    {
                        _equationLocalStamp[e] = _localStamp;
                        equations.Add(e);
                    }
                }
            }

            for (var k = firstNewEquation; k < equations.Count; k++)
            {
                foreach (var c in CellsOf(equations[k]))
                {
                    if (_unknown[c] && _cellLocalStamp[c] != _localStamp)
                    {
                        _cellLocalStamp[c] = _localStamp;
                        unknowns.Add(c);
                    }
                }
            }

            if (equations.Count <= LocalEquationLimit && unknowns.Count <= LocalUnknownLimit
                && TrySolveLocally(cell, equations, unknowns, weights))
            {
                equations.RemoveAll(e => weights[e] == 0);
                return equations;
            }
        }

        equations.Clear();
        foreach (var (e, weight) in _rows[_pivotRowOfCell[cell]])
        {
            if (weight != 0)
            {
                weights[e] = weight;
                equations.Add(e);
            }
        }

        equations.Sort();
        return equations;
    }

    /// <summary>Solves y A[equations, unknowns] = e_cell by Gauss-Jordan elimination on the transposed system.</summary>
    private bool TrySolveLocally(int cell, List<int> equations, List<int> unknowns, ulong[] weights)
    {
        var rows = unknowns.Count;
        var columns = equations.Count;
        for (var k = 0; k < columns; k++)
        {
            _equationLocalIndex[equations[k]] = k;
        }

        // Row per unknown: its coefficient in each local equation, then the right-hand side e_cell.
        var system = new ulong[rows][];
        for (var r = 0; r < rows; r++)
        {
            var row = system[r] = new ulong[columns + 1];
            var c = unknowns[r];
            for (var k = _cellStart[c]; k < _cellStart[c + 1]; k++)
            {
                if (_equationLocalStamp[_cellEquation[k]] == _localStamp)
                {
                    row[_equationLocalIndex[_cellEquation[k]]] = _cellCoefficient[k];
                }
            }

            row[columns] = c == cell ? 1UL : 0UL;
        }

        var pivotColumns = new List<int>();
        var rank = 0;
        for (var col = 0; col < columns && rank < rows; col++)
        {
            var p = rank;
            while (p < rows && system[p][col] == 0)
            {
                p++;
            }

            if (p == rows)
            {
                continue;
            }

            (system[rank], system[p]) = (system[p], system[rank]);
            var pivotRow = system[rank];
            var inverse = Inverse(pivotRow[col]);
            for (var k = col; k <= columns; k++)
            {
                pivotRow[k] = Mul(pivotRow[k], inverse);
            }

            for (var r = 0; r < rows; r++)
            {
                var factor = system[r][col];
                if (r == rank || factor == 0)
                {
                    continue;
                }

                var target = system[r];
                for (var k = col; k <= columns; k++)
                {
                    if (pivotRow[k] != 0)
                    {
                        target[k] = Sub(target[k], Mul(factor, pivotRow[k]));
                    }
                }
            }

            pivotColumns.Add(col);
            rank++;
        }

        for (var r = rank; r < rows; r++)
        {
            if (system[r][columns] != 0)
            {
                return false;
            }
        }

        // A basic solution: free equations get weight zero.
        for (var r = 0; r < rank; r++)
        {
            weights[equations[pivotColumns[r]]] = system[r][columns];
        }

        return true;
    }

    /// <summary>The coefficient of a cell in a combination of margins (zero when the combination does not involve it).</summary>
    public ulong Dot(ReadOnlySpan<ulong> equationWeights, int cell)
    {
        ulong sum = 0;
        for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
        {
            sum = Add(sum, Mul(equationWeights[_cellEquation[k]], _cellCoefficient[k]));
        }

        return sum;
    }

    /// <summary>
    /// The images of the cell's residue (the part of its column that unknown columns do not explain) under
    /// the two probes. Both are zero when the column is a combination of the unknown columns: hiding the cell
    /// then frees every determined unknown of that combination without pinning down the cell itself. Two
    /// cells with proportional residues have proportional images: hiding both cancels their residues, so the
    /// pair closes a cycle.
    /// </summary>
    public (ulong First, ulong Second) Residue(int cell) => (Dot(_probe[0], cell), Dot(_probe[1], cell));

    /// <summary>Makes a cell unknown to the attacker and updates which unknowns are determined.</summary>
    public void MakeUnknown(int cell)
    {
        if (_unknown[cell])
        {
            return;
        }

        _unknown[cell] = true;
        try
        {
            ComputeColumn(cell);
            AppendColumn(cell);
        }
        finally
        {
            foreach (var t in _touchedRows)
            {
                _column[t] = 0;
                _columnTouched[t] = false;
            }

            _touchedRows.Clear();
        }
    }

    /// <summary>v = T c_cell, in <see cref="_column"/>, non-zero only on <see cref="_touchedRows"/>.</summary>
    private void ComputeColumn(int cell)
    {
        for (var k = _cellStart[cell]; k < _cellStart[cell + 1]; k++)
        {
            var e = _cellEquation[k];
            var coefficient = _cellCoefficient[k];
            foreach (var t in _columnRows[e])
            {
                var entry = _rows[t][e];
                if (entry == 0)
                {
                    continue;
                }

                if (!_columnTouched[t])
                {
                    _columnTouched[t] = true;
                    _touchedRows.Add(t);
                }

                _column[t] = Add(_column[t], Mul(entry, coefficient));
            }
        }
    }

    private void AppendColumn(int cell)
    {
        var v = _column;

        // The new pivot row: the sparsest non-pivot row where the column is non-zero (then the lowest), so that
        // eliminating it adds few entries to the other rows (fill-in), and the choice is deterministic.
        var pivot = -1;
        foreach (var t in _touchedRows)
        {
            if (v[t] != 0 && _cellOfPivotRow[t] < 0
                && (pivot < 0 || _rows[t].Count < _rows[pivot].Count || (_rows[t].Count == _rows[pivot].Count && t < pivot)))
            {
                pivot = t;
            }
        }

        if (pivot < 0)
        {
            // A combination of existing unknowns: a new null-space vector through this cell and the pivots it touches.
            _undetermined[cell] = true;
            foreach (var t in _touchedRows)
            {
                if (v[t] != 0)
                {
                    _undetermined[_cellOfPivotRow[t]] = true;
                }
            }

            return;
        }

        var inverse = Inverse(v[pivot]);

        // Keep each probe equal to its weighted sum of the non-pivot rows after the elimination below:
        // row `pivot` leaves that set and every other non-pivot row t becomes T_t - v_t * inverse * T_pivot.
        Span<ulong> probeFactor = stackalloc ulong[2];
        for (var probe = 0; probe < 2; probe++)
        {
            ulong beta = 0;
            foreach (var t in _touchedRows)
            {
                if (t != pivot && v[t] != 0 && _cellOfPivotRow[t] < 0)
                {
                    beta = Add(beta, Mul(_rowWeight[probe][t], v[t]));
                }
            }

            probeFactor[probe] = Add(_rowWeight[probe][pivot], Mul(beta, inverse));
        }

        var pivotRow = _rows[pivot];
        _pivotEntries.Clear();
        foreach (var (e, entry) in pivotRow)
        {
            if (entry != 0)
            {
                _probe[0][e] = Sub(_probe[0][e], Mul(probeFactor[0], entry));
                _probe[1][e] = Sub(_probe[1][e], Mul(probeFactor[1], entry));
                _pivotEntries.Add(new(e, Mul(entry, inverse)));
            }
        }

        foreach (var (e, entry) in _pivotEntries)
        {
            pivotRow[e] = entry;
        }

        foreach (var t in _touchedRows)
        {
            if (t == pivot || v[t] == 0)
            {
                continue;
            }

            var factor = v[t];
            var row = _rows[t];
            foreach (var (e, entry) in _pivotEntries)
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(row, e, out var existed);
                if (!existed)
                {
                    _columnRows[e].Add(t);
                }

                slot = Sub(slot, Mul(factor, entry));
            }
        }

        _cellOfPivotRow[pivot] = cell;
        _pivotRowOfCell[cell] = pivot;
    }
}
