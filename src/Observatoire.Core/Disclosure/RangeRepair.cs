namespace Observatoire.Core.Disclosure;

/// <summary>
/// The planner's second pass, a bounded form of tau-Argus's full optimisation: each primary cell still below the
/// range its table allows gets, direction by direction, linear programs over wider sub-tables than the first pass
/// used (every area with the cell's related slots and codes; its areas' family with every slot and code; then, when
/// the table is small enough, the whole linked table), each finding the furthest move and, at that reach, the
/// cheapest additional suppressions (hidden cells move for free, so earlier suppressions are reused first). Cells are
/// repaired in the planner's top-down order, so later cells reuse what earlier ones hid. Before a program, the sign
/// test (<see cref="MoveSigns"/>) over the whole table proves where a direction cannot move under any suppression:
/// such a cell is at the table's limit, not the planner's. The work is bounded by a number of program variables
/// (deterministic, unlike a clock): cells left when it runs out keep the range of the first pass and are counted.
/// </summary>
internal sealed class RangeRepair(CertificateChecker checker, LinearProgramSearch programs, MoveSigns signs, long variableBudget)
{
    /// <summary>The whole table is one program's sub-table only up to this many cells (a national year of a large indicator is not).</summary>
    internal const int WholeTableCells = 40_000;

    private readonly LinkedTable _table = checker.Table;
    private long _variablesLeft = variableBudget;

    public int Programs { get; private set; }

    public int Widened { get; private set; }

    /// <summary>Directions the whole-table sign test proved immovable under any suppression.</summary>
    public int ProvedPinned { get; private set; }

    /// <summary>Cells not repaired because the budget ran out.</summary>
    public int OverBudget { get; private set; }

    /// <summary>
    /// Widens the cell towards <paramref name="attainable"/>; returns the range now reached (raise + lowering) and
    /// the attainable range, lowered where the sign test proves a direction pinned.
    /// </summary>
    public (double Range, int Attainable) Widen(int cell, int attainable, int maxUp, int maxDown, double[] reachedUp, double[] reachedDown)
    {
        double Up() => Math.Min(reachedUp[cell], maxUp);
        double Down() => Math.Min(reachedDown[cell], maxDown);
        if (Up() + Down() >= attainable - 1e-9)
        {
            return (Up() + Down(), attainable);
        }

        var all = (Areas: Enumerable.Range(0, _table.Geography.Count), Time: Enumerable.Range(0, _table.TimeCount), Cells: Enumerable.Range(0, _table.Cells.Count));

        // What no suppression can give: a direction in which the cell cannot move anywhere in the table.
        if (maxUp > Up() && !signs.CanMove(cell, 1, all.Areas, all.Time, all.Cells))
        {
            ProvedPinned++;
            maxUp = (int)Math.Floor(Up() + 1e-9);
        }

        if (maxDown > Down() && !signs.CanMove(cell, -1, all.Areas, all.Time, all.Cells))
        {
            ProvedPinned++;
            maxDown = (int)Math.Floor(Down() + 1e-9);
        }

        attainable = Math.Min(attainable, maxUp + maxDown);
        if (Up() + Down() >= attainable - 1e-9)
        {
            return (Up() + Down(), attainable);
        }

        if (_variablesLeft <= 0)
        {
            OverBudget++;
            return (Up() + Down(), attainable);
        }

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
        foreach (var scope in scopes)
        {
            foreach (var sign in new[] { 1, -1 })
            {
                var (reached, max, other) = sign > 0 ? (Up(), maxUp, Down()) : (Down(), maxDown, Up());
                var wanted = Math.Min(max, attainable - other);
                if (reached >= wanted - 1e-9 || _variablesLeft <= 0)
                {
                    continue;
                }

                if (!signs.CanMove(cell, sign, scope.Areas, scope.Time.Append(t), scope.Cells.Append(c)))
                {
                    continue;
                }

                Programs++;
                var found = programs.Furthest(cell, sign * (int)Math.Ceiling(wanted - 1e-9), scope.Areas, scope.Time, scope.Cells);
                _variablesLeft -= programs.Variables;
                if (found is not { } move || move.Reach <= reached + 1e-9)
                {
                    continue;
                }

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
        return (Up() + Down(), attainable);
    }
}
