using System.Diagnostics;

namespace Observatoire.Core.Disclosure;

/// <summary>
/// Plans cell suppression over a <see cref="LinkedTable"/> so that every primary cell keeps a protection interval:
/// the range a reader can derive for it by linear programming over everything published (published values,
/// every additive relation, non-negativity, 1..k-1 for a primary cell) is at least
/// <see cref="SecrecyOptions.ProtectionRange"/> wide.
/// </summary>
/// <remarks>
/// <para>
/// Primary cells are the protectable counts from 1 to k-1. They are protected one by one, from the top of the
/// hierarchies down (years before quarters before months, regions before departments, totals before breakdowns),
/// as HiTaS processes its sub-tables. For each, the planner looks for two certificates, moves of hidden cells that
/// a reader cannot tell from the truth: one raising the cell by u and one lowering it by l, with u + l the range.
/// A certificate keeps every relation of the whole linked table, not only those of a sub-table, so a certificate
/// found stays valid whatever is suppressed later: no back-tracking is needed, and the published table is protected
/// once every primary cell has its certificates. The cells a certificate moves are suppressed (secondary cells).
/// </para>
/// <para>
/// Certificates are searched first as hypercubes (a product of one move per dimension, each a sibling moving the
/// other way or a parent moving along), the cheapest by information loss (value + 1 per newly hidden cell, nothing
/// for a cell already hidden); where none exists, as the cheapest move of any shape over the sub-table the
/// hypercubes reach, by linear programming (GLOP).
/// </para>
/// </remarks>
public sealed class SecrecyPlanner
{
    /// <summary>Moves along the cell dimension whose codes make the first, small linear program of a cell.</summary>
    private const int NarrowCodeMoves = 3;

    private readonly SecrecyOptions _options;

    public SecrecyPlanner(SecrecyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>See <see cref="SecrecyOptions.PrimaryFlagPublished"/>.</summary>
    public bool PrimaryFlagPublished => _options.PrimaryFlagPublished;

    public SecrecyPlan Plan(LinkedTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var k = _options.Threshold;
        var range = _options.ProtectionRange;
        var primary = new bool[table.Size];
        for (var i = 0; i < table.Size; i++)
        {
            primary[i] = table.Kinds[i] == CellKind.Protectable && table.Values[i] is >= 1 and var v && v < k;
        }

        var started = Stopwatch.GetTimestamp();
        var checker = new CertificateChecker(table, k, primary, _options.PrimaryFlagPublished);
        var bounds = IntervalBounds.Propagate(table, k, checker.Flagged);
        var boundsTime = Stopwatch.GetElapsedTime(started);
        TimeSpan hypercubeTime = default, programTime = default, wholeTime = default;
        int reused = 0, byHypercube = 0, byProgram = 0, largest = 0, wholeTimeAndCells = 0, wholeReached = 0, smallSufficed = 0, pinned = 0;
        var hypercubes = new HypercubeSearch(checker);
        var programs = new LinearProgramSearch(checker);
        var signs = new MoveSigns(checker);
        var narrowed = new List<NarrowCell>();
        var reachedUp = new double[table.Size];
        var reachedDown = new double[table.Size];
        var linearPrograms = 0;

        // The budget counts the directions searched by programs (as before the small first program), not the solves.
        var programmedDirections = 0;

        // The hypercubes of the cell being planned, by move: nothing is hidden between two searches of one cell.
        var found = new Dictionary<int, (Certificate? Certificate, (List<Move> Geography, List<Move> Time, List<Move> Cells) Moves)>();
        foreach (var cell in Enumerable.Range(0, table.Size).Where(i => primary[i]).OrderBy(i => TopDown(table, i)).ThenBy(i => i))
        {
            // What no suppression can exceed: the cell's own bounds, tightened by every relation and the known cells.
            var value = (int)table.Values[cell]!.Value;
            var attainable = Math.Min(range, bounds.AttainableRange(cell));
            var maxUp = (int)Math.Min(attainable, Math.Floor(bounds.High[cell] - value + 1e-9));
            var maxDown = (int)Math.Min(attainable, Math.Floor(value - bounds.Low[cell] + 1e-9));

            // A certificate chosen for an earlier cell moves this one too, if it is hidden in it: the same move is a
            // certificate for this cell, so when the moves seen so far already span the range, nothing is needed.
            var reached = Math.Min(reachedUp[cell], maxUp) + Math.Min(reachedDown[cell], maxDown);
            if (reached >= attainable - 1e-9)
            {
                if (attainable < range)
                {
                    narrowed.Add(new NarrowCell(cell, reached, attainable));
                }

                reused++;
                continue;
            }

            found.Clear();
            var searchStarted = Stopwatch.GetTimestamp();
            var chosen = Hypercubes(cell, attainable, maxUp, maxDown);
            hypercubeTime += Stopwatch.GetElapsedTime(searchStarted);
            if (chosen is null || (chosen.Value.Range < attainable && programmedDirections < _options.MaxLinearPrograms))
            {
                byProgram++;
                searchStarted = Stopwatch.GetTimestamp();
                var programmed = LinearPrograms(cell, attainable, maxUp, maxDown, wide: false);
                if (programmed.Range < 1e-9)
                {
                    // Nothing within the sub-table: the whole time and cell dimensions around the cell's areas, once.
                    programmed = LinearPrograms(cell, attainable, maxUp, maxDown, wide: true);
                }

                if (chosen is null || programmed.Range > chosen.Value.Range)
                {
                    chosen = programmed;
                }

                programTime += Stopwatch.GetElapsedTime(searchStarted);
            }
            else
            {
                byHypercube++;
            }

            var (up, down, width) = chosen.Value;
            if (width + 1e-9 < range)
            {
                narrowed.Add(new NarrowCell(cell, width, attainable));
            }

            foreach (var certificate in new[] { up, down })
            {
                for (var i = 0; i < (certificate?.Cells.Length ?? 0); i++)
                {
                    var moved = certificate!.Cells[i];
                    checker.Hidden[moved] = true;
                    if (primary[moved])
                    {
                        var delta = certificate.Deltas[i];
                        reachedUp[moved] = Math.Max(reachedUp[moved], delta);
                        reachedDown[moved] = Math.Max(reachedDown[moved], -delta);
                    }
                }
            }
        }

        // The widest split of the attainable range into a raise and a lowering that hypercubes achieve, cheapest
        // first at each width; narrower widths are tried when the full one has no hypercube.
        (Certificate? Up, Certificate? Down, double Range)? Hypercubes(int cell, int target, int maxUp, int maxDown)
        {
            for (var width = target; width >= 1; width--)
            {
                (Certificate? Up, Certificate? Down, double Range)? best = null;
                var cost = double.PositiveInfinity;
                for (var up = Math.Max(0, width - maxDown); up <= Math.Min(width, maxUp); up++)
                {
                    var down = width - up;
                    var raise = up == 0 ? null : Find(cell, up).Certificate;
                    if (up != 0 && raise is null)
                    {
                        continue;
                    }

                    var lower = down == 0 ? null : Find(cell, -down).Certificate;
                    if ((down == 0 || lower is not null) && (raise?.Cost ?? 0) + (lower?.Cost ?? 0) < cost)
                    {
                        cost = (raise?.Cost ?? 0) + (lower?.Cost ?? 0);
                        best = (raise, lower, width);
                        if (cost == 0)
                        {
                            break;
                        }
                    }
                }

                if (best is not null)
                {
                    return best;
                }
            }

            return null;
        }

        (Certificate? Up, Certificate? Down, double Range) LinearPrograms(int cell, int target, int maxUp, int maxDown, bool wide)
        {
            // The furthest each way, then a split of the range between them (a certificate scaled down stays one:
            // every constraint a reader knows is convex and holds at the true table).
            var (g, t, c) = table.Coordinates(cell);
            var up = maxUp > 0 ? Furthest(maxUp) : null;
            double reachUp = up?.Reach ?? 0;

            // A raise that spans the range alone needs no lowering.
            var down = maxDown > 0 && reachUp < target - 1e-9 ? Furthest(-maxDown) : null;
            double reachDown = down?.Reach ?? 0;
            var raise = Math.Min(reachUp, target);
            var lower = Math.Min(reachDown, target - raise);
            return (Scaled(up?.Certificate, raise / Math.Max(reachUp, 1e-12)), Scaled(down?.Certificate, lower / Math.Max(reachDown, 1e-12)), raise + lower);

            (double Reach, Certificate Certificate)? Furthest(int limit)
            {
                programmedDirections++;

                // The sub-table: the cell's family along each dimension and the coordinates of its cheapest moves.
                var moves = Find(cell, Math.Sign(limit)).Moves;
                var areas = moves.Geography.Take(8).SelectMany(m => m.Coordinates).Concat(Family(table.Geography, g)).Append(g).ToList();

                // Every program below moves a part of these areas' every slot and cell: where the cell cannot move there at
                // all, none of them can move it (the same result as solving them, without building them).
                if (!signs.CanMove(cell, Math.Sign(limit), areas, Enumerable.Range(0, table.TimeCount), Enumerable.Range(0, table.Cells.Count)))
                {
                    pinned++;
                    return null;
                }

                if (wide)
                {
                    wholeTimeAndCells++;
                    var wholeStarted = Stopwatch.GetTimestamp();
                    var whole = Solve(Enumerable.Range(0, table.TimeCount).ToList(), Enumerable.Range(0, table.Cells.Count).ToList());
                    wholeTime += Stopwatch.GetElapsedTime(wholeStarted);
                    wholeReached += whole is null ? 0 : 1;
                    return whole;
                }

                // First with the cell's codes of its cheapest moves along the cell dimension only (a breakdown of many
                // categories multiplies the program's size), then, if that falls short, with every related code.
                var slots = moves.Time.Take(8).SelectMany(m => m.Coordinates).Concat(Family(table.TimeOf[c], t)).ToList();
                var fewCodes = moves.Cells.Take(NarrowCodeMoves).SelectMany(m => m.Coordinates).Append(c).ToHashSet();
                var codes = moves.Cells.Take(8).SelectMany(m => m.Coordinates).Concat(Family(table.Cells, c)).Append(c).ToHashSet();
                var furthest = Solve(slots, fewCodes);
                if ((furthest?.Reach ?? 0) >= Math.Abs(limit) - 1e-9)
                {
                    smallSufficed++;
                }
                else if (!codes.SetEquals(fewCodes))
                {
                    var wider = Solve(slots, codes);
                    if ((wider?.Reach ?? 0) > (furthest?.Reach ?? 0))
                    {
                        furthest = wider;
                    }
                }

                return furthest;

                (double Reach, Certificate Certificate)? Solve(IReadOnlyCollection<int> time, IReadOnlyCollection<int> cells)
                {
                    // The same test on the program's own, smaller sub-table: where it fails, the program would reach nothing.
                    if (!signs.CanMove(cell, Math.Sign(limit), areas, time.Append(t), cells.Append(c)))
                    {
                        pinned++;
                        return null;
                    }

                    linearPrograms++;
                    var solved = programs.Furthest(cell, limit, areas, time, cells);
                    largest = Math.Max(largest, programs.Variables);
                    return solved;
                }
            }
        }

        (Certificate? Certificate, (List<Move> Geography, List<Move> Time, List<Move> Cells) Moves) Find(int cell, int delta)
        {
            if (!found.TryGetValue(delta, out var search))
            {
                var certificate = hypercubes.Find(cell, delta, out var moves);
                found[delta] = search = (certificate, moves);
            }

            return search;
        }

        static Certificate? Scaled(Certificate? certificate, double factor) =>
            certificate is null || factor <= 1e-9 ? null : certificate with { Deltas = [.. certificate.Deltas.Select(d => d * factor)] };

        // Second pass: the cells still short of what their table allows, with wider programs (see RepairOrder).
        var repairStarted = Stopwatch.GetTimestamp();
        var repair = new RangeRepair(checker, programs, signs, _options.MaxRepairVariables);
        var widths = new Dictionary<int, double>();
        foreach (var narrow in RepairOrder(narrowed))
        {
            var cell = narrow.Cell;
            var value = (int)table.Values[cell]!.Value;
            var maxUp = (int)Math.Min(narrow.Attainable, Math.Floor(bounds.High[cell] - value + 1e-9));
            var maxDown = (int)Math.Min(narrow.Attainable, Math.Floor(value - bounds.Low[cell] + 1e-9));
            widths[cell] = repair.Widen(cell, narrow.Attainable, maxUp, maxDown, reachedUp, reachedDown);
        }

        narrowed = [.. narrowed
            .Where(n => n.AtTableLimit || widths[n.Cell] + 1e-9 < range)
            .Select(n => n.AtTableLimit ? n : n with { Range = Math.Max(widths[n.Cell], n.Range) })];
        linearPrograms += repair.Programs;
        var repairTime = Stopwatch.GetElapsedTime(repairStarted);

        var statuses = new CellConfidentiality[table.Size];
        int primaries = 0, secondaries = 0, protectable = 0;
        long secondaryValue = 0, protectableValue = 0;
        for (var i = 0; i < table.Size; i++)
        {
            if (table.Kinds[i] != CellKind.Protectable)
            {
                continue;
            }

            protectable++;
            protectableValue += table.Values[i]!.Value;
            statuses[i] = primary[i] ? CellConfidentiality.Primary : checker.Hidden[i] ? CellConfidentiality.Secondary : CellConfidentiality.Free;
            if (statuses[i] == CellConfidentiality.Primary)
            {
                primaries++;
            }
            else if (statuses[i] == CellConfidentiality.Secondary)
            {
                secondaries++;
                secondaryValue += table.Values[i]!.Value;
            }
        }

        return new SecrecyPlan(statuses, narrowed, new InformationLoss(primaries, secondaries, secondaryValue, protectable, protectableValue), linearPrograms)
        {
            Profile = new PlanningProfile
            {
                Reused = reused,
                ByHypercube = byHypercube,
                ByLinearProgram = byProgram,
                LargestProgram = largest,
                WholeTimeAndCells = wholeTimeAndCells,
                WholeReached = wholeReached,
                Pinned = pinned,
                WholePrograms = wholeTime,
                SmallSufficed = smallSufficed,
                Bounds = boundsTime,
                Hypercubes = hypercubeTime,
                LinearPrograms = programTime,
                RepairPrograms = repair.Programs,
                Repaired = repair.Widened,
                RepairWidenedByScope = repair.WidenedByScope,
                RepairProgramsByScope = repair.ProgramsByScope,
                RepairOverBudget = repair.OverBudget,
                RepairTooLarge = repair.TooLarge,
                Repair = repairTime,
                RepairSignTests = repair.SignTime,
                RepairLinearPrograms = repair.ProgramTime,
            },
        };
    }

    /// <summary>A coordinate's parent, siblings and children: the sub-table of HiTaS around it along one dimension.</summary>
    internal static IEnumerable<int> Family(TableDimension dimension, int coordinate)
    {
        var parentFamily = dimension.ParentFamilyOf(coordinate);
        var relatives = parentFamily < 0
            ? []
            : dimension.Families[parentFamily].Children.Append(dimension.Families[parentFamily].Parent);
        return relatives.Concat(dimension.ChildFamiliesOf(coordinate).SelectMany(f => dimension.Families[f].Children));
    }

    /// <summary>
    /// The cells the second pass takes, in its order: those below what their table allows, first the ones a reader would
    /// recover exactly (no range at all), then the others, each group in the first pass's top-down order, so that a
    /// budget that runs out leaves narrow ranges rather than disclosures.
    /// </summary>
    internal static IEnumerable<NarrowCell> RepairOrder(IEnumerable<NarrowCell> narrowed) =>
        narrowed.Where(n => !n.AtTableLimit).OrderBy(n => n.Range > 1e-9);

    private static (int, int, int) TopDown(LinkedTable table, int cell)
    {
        var (g, t, c) = table.Coordinates(cell);
        return (table.TimeOf[c].Depth(t), table.Geography.Depth(g), table.Cells.Depth(c));
    }
}
