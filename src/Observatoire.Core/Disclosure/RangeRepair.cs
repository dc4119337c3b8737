namespace Observatoire.Core.Disclosure;

/// <summary>
/// The planner's second pass, a bounded form of tau-Argus's full optimisation: each primary cell still below the
/// range its table allows gets, direction by direction, linear programs over wider sub-tables than the first pass
/// used (every area with the cell's related slots and the codes of its cheapest moves along the cell dimension, then,
/// only where that falls short, with every related code; its areas' family with every slot and code; then, when the
/// table is small enough, the whole linked table), each finding the furthest move and, at that reach, the
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

    /// <summary>
    /// Cells a sign test scans in the time a program spends on one variable. Measured on the tour's national year of
    /// `personnes_recues` (2026-12-02): 0.13 µs a cell scanned, 38 µs a variable of the second pass's programs (some
    /// 3,500 variables each), about 290 cells a variable. Charged at 16, the sign tests used up the whole budget in a
    /// third of a second, before a single program ran.
    /// </summary>
    private const int SignTestCellsPerVariable = 256;

    /// <summary>
    /// Moves along the cell dimension whose codes make the first, small program (the first pass takes 3; measured on the
    /// synthetic year: 3 or 4 leave more cells short than every related code does, 5 fewer at about the same CPU time).
    /// </summary>
    private const int CheapCodeMoves = 5;

    /// <summary>Sub-tables tried: every area with the cheap codes, then with every related code; the cell's areas' family; the whole table.</summary>
    private const int Scopes = 4;

    private readonly LinkedTable _table = checker.Table;
    private long _variablesLeft = variableBudget;

    public int Programs { get; private set; }

    public TimeSpan SignTime { get; private set; }

    public TimeSpan ProgramTime { get; private set; }

    public int Widened { get; private set; }

    /// <summary>Directions widened by each sub-table, in the order they are tried.</summary>
    public int[] WidenedByScope { get; } = new int[Scopes];

    /// <summary>Programs solved over each sub-table, in the order they are tried.</summary>
    public int[] ProgramsByScope { get; } = new int[Scopes];

    /// <summary>Cells not repaired because the budget ran out.</summary>
    public int OverBudget { get; private set; }

    /// <summary>Programs not solved because they would have cost more than the budget left.</summary>
    public int TooLarge { get; private set; }

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
        var codes = SecrecyPlanner.Family(_table.Cells, c).Append(c).ToHashSet();

        // Every area first with the codes of the cell's cheapest moves along the cell dimension only (a breakdown of
        // many categories multiplies a program's size), then, only where that reaches less than wanted, with every
        // related code, as the first pass does.
        var few = new Dictionary<int, HashSet<int>> { [1] = CheapCodes(g, t, c, 1), [-1] = CheapCodes(g, t, c, -1) };
        var near = areas.Distinct().Order().ToList();
        var scopes = new List<(IEnumerable<int> Areas, IEnumerable<int> Time, Func<int, IEnumerable<int>> Cells)>
        {
            (all.Areas, slots, sign => few[sign]),
            (all.Areas, slots, sign => codes.Union(few[sign])),
            (near, all.Time, sign => all.Cells),
        };
        if (_table.Size <= WholeTableCells)
        {
            scopes.Add((all.Areas, all.Time, sign => all.Cells));
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

                // Where the cheap codes are already all the codes of the wider program, it was just tried.
                var cells = scope.Cells(sign).Append(c).Distinct().Order().ToList();
                if (s > 0 && scopes[s - 1].Areas == scope.Areas && scopes[s - 1].Time == scope.Time && scopes[s - 1].Cells(sign).Append(c).ToHashSet().SetEquals(cells))
                {
                    continue;
                }

                if (!CanMove(cell, sign, scope.Areas, scope.Time.Append(t), cells))
                {
                    continue;
                }

                // A program is charged its variables; one that would cost more than what is left is not solved (the
                // budget bounds the work, it is not overdrawn by a last large program).
                var charge = programs.CountVariables([.. scope.Areas.Append(g).Distinct()], [.. scope.Time.Append(t).Distinct()], cells);
                if (charge > _variablesLeft)
                {
                    TooLarge++;
                    continue;
                }

                Programs++;
                ProgramsByScope[s]++;
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var found = programs.Furthest(cell, sign * (int)Math.Ceiling(wanted - 1e-9), scope.Areas, scope.Time, cells);
                ProgramTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
                _variablesLeft -= charge;
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

    /// <summary>The cell's code and those of its cheapest moves along the cell dimension (a rise by <paramref name="sign"/>).</summary>
    private HashSet<int> CheapCodes(int g, int t, int c, int sign)
    {
        var moves = HypercubeSearch.Generate(_table.Cells, c, rootFixed: false, (q, s) =>
        {
            var moved = _table.Index(g, t, q);
            return checker.CanMove(moved, s * sign) ? checker.Weight(moved) : double.PositiveInfinity;
        });
        return [.. moves.Take(CheapCodeMoves).SelectMany(m => m.Coordinates).Append(c)];
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
