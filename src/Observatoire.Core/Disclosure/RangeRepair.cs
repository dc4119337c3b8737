namespace Observatoire.Core.Disclosure;

/// <summary>
/// The planner's second pass, a bounded form of tau-Argus's full optimisation: each primary cell still below the
/// range its table allows gets, direction by direction, linear programs over wider sub-tables than the first pass
/// used (every area with the cell's related slots and codes; its areas' family with every slot and code; then, when
/// the table is small enough, the whole linked table), each finding the furthest move and, at that reach, the
/// cheapest additional suppressions (hidden cells move for free, so earlier suppressions are reused first). Cells are
/// repaired in the planner's top-down order, so later cells reuse what earlier ones hid, and each is first checked
/// against the certificates found after it was planned (often enough on their own). Before each program, the sign
/// test (<see cref="MoveSigns"/>) skips a sub-table where the cell cannot move. The work is bounded by a count (program
/// variables and cells scanned by sign tests; deterministic, unlike a clock): the cells left when it runs out keep the
/// range of the first pass and are counted.
/// </summary>
internal sealed class RangeRepair(CertificateChecker checker, LinearProgramSearch programs, MoveSigns signs, long variableBudget)
{
    /// <summary>The whole table is one program's sub-table only up to this many cells (a national year of a large indicator is not).</summary>
    internal const int WholeTableCells = 12_000;

    /// <summary>Cells a sign test scans in the time a program spends on one variable (measured: about 20).</summary>
    private const int SignTestCellsPerVariable = 16;

    private readonly LinkedTable _table = checker.Table;
    private long _variablesLeft = variableBudget;

    public int Programs { get; private set; }

    public TimeSpan SignTime { get; private set; }

    public TimeSpan ProgramTime { get; private set; }

    public int Widened { get; private set; }

    /// <summary>Directions widened by each sub-table, in the order they are tried.</summary>
    public int[] WidenedByScope { get; } = new int[3];

    /// <summary>Cells not repaired because the budget ran out.</summary>
    public int OverBudget { get; private set; }

    /// <summary>
    /// Widens the cell towards <paramref name="attainable"/>; returns the range now reached (raise + lowering).
    /// </summary>
    public double Widen(int cell, int attainable, int maxUp, int maxDown, double[] reachedUp, double[] reachedDown)
    {
        double Up() => Math.Min(reachedUp[cell], maxUp);
        double Down() => Math.Min(reachedDown[cell], maxDown);
        if (Up() + Down() >= attainable - 1e-9)
        {
            return Up() + Down();
        }

        if (_variablesLeft <= 0)
        {
            OverBudget++;
            return Up() + Down();
        }

        var all = (Areas: Enumerable.Range(0, _table.Geography.Count), Time: Enumerable.Range(0, _table.TimeCount), Cells: Enumerable.Range(0, _table.Cells.Count));
        var (g, t, c) = _table.Coordinates(cell);
        var areas = SecrecyPlanner.Family(_table.Geography, g).Append(g).ToList();
        areas.AddRange(areas.ToList().SelectMany(a => SecrecyPlanner.Family(_table.Geography, a)));
        var slots = SecrecyPlanner.Family(_table.TimeOf[c], t).Append(t).ToList();
        var codes = SecrecyPlanner.Family(_table.Cells, c).Append(c).ToList();
        var scopes = new List<(IEnumerable<int> Areas, IEnumerable<int> Time, IEnumerable<int> Cells)>
        {
            (all.Areas, slots, codes),
            (areas.Distinct().Order(), all.Time, all.Cells),
        };
        if (_table.Size <= WholeTableCells)
        {
            scopes.Add(all);
        }

        var before = Up() + Down();
        for (var s = 0; s < scopes.Count; s++)
        {
            var scope = scopes[s];
            foreach (var sign in new[] { 1, -1 })
            {
                var (reached, max, other) = sign > 0 ? (Up(), maxUp, Down()) : (Down(), maxDown, Up());
                var wanted = Math.Min(max, attainable - other);
                if (reached >= wanted - 1e-9 || _variablesLeft <= 0)
                {
                    continue;
                }

                if (!CanMove(cell, sign, scope.Areas, scope.Time.Append(t), scope.Cells.Append(c)))
                {
                    continue;
                }

                Programs++;
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var found = programs.Furthest(cell, sign * (int)Math.Ceiling(wanted - 1e-9), scope.Areas, scope.Time, scope.Cells);
                ProgramTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
                _variablesLeft -= programs.Variables;
                if (found is not { } move || move.Reach <= reached + 1e-9)
                {
                    continue;
                }

                WidenedByScope[s]++;
                for (var i = 0; i < move.Certificate.Cells.Length; i++)
                {
                    var moved = move.Certificate.Cells[i];
                    checker.Hidden[moved] = true;
                    if (checker.Primary[moved])
                    {
                        reachedUp[moved] = Math.Max(reachedUp[moved], move.Certificate.Deltas[i]);
                        reachedDown[moved] = Math.Max(reachedDown[moved], -move.Certificate.Deltas[i]);
                    }
                }
            }

            if (Up() + Down() >= attainable - 1e-9)
            {
                break;
            }
        }

        Widened += Up() + Down() > before + 1e-9 ? 1 : 0;
        return Up() + Down();
    }

    /// <summary>The sign test, charged to the budget by the cells it scans (far cheaper each than a program's variable).</summary>
    private bool CanMove(int cell, int sign, IEnumerable<int> areas, IEnumerable<int> time, IEnumerable<int> cells)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (a, t, c) = (areas.ToList(), time.Distinct().ToList(), cells.Distinct().ToList());
        _variablesLeft -= (long)a.Count * t.Count * c.Count / SignTestCellsPerVariable;
        var can = signs.CanMove(cell, sign, a, t, c);
        SignTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return can;
    }
}
