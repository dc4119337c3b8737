using Google.OrTools.LinearSolver;

namespace Observatoire.Core.Disclosure;

/// <summary>
/// Finds a certificate by linear programming (GLOP) where no hypercube does: over a sub-table around the primary
/// cell (its parent, siblings and children along each dimension, crossed, as a HiTaS sub-table, with the cheapest
/// hypercube moves), the move of any shape that takes the cell furthest in one direction, up to a limit, and among
/// those the cheapest; it keeps every relation touching the sub-table, cells outside it staying put. Hidden cells
/// move for free; published cells cost their value plus one per unit moved.
/// </summary>
internal sealed class LinearProgramSearch(CertificateChecker checker)
{
    private const double Zero = 1e-7;
    private const double ReachWeight = 1e7;

    private readonly LinkedTable _table = checker.Table;

    /// <summary>The number of cells that could move in the last program solved.</summary>
    public int Variables { get; private set; }

    /// <summary>The number of cells that could move in a program over this sub-table (its <see cref="Variables"/>), without building it.</summary>
    public int CountVariables(IReadOnlyCollection<int> geography, IReadOnlyCollection<int> time, IReadOnlyCollection<int> cells)
    {
        var count = 0;
        foreach (var g in geography)
        {
            foreach (var t in time)
            {
                foreach (var c in cells)
                {
                    count += _table.Kinds[_table.Index(g, t, c)] == CellKind.Protectable ? 1 : 0;
                }
            }
        }

        return count;
    }

    /// <summary>The furthest move of the primary cell in the direction of <paramref name="limit"/>'s sign, at most |limit|, or null.</summary>
    public (double Reach, Certificate Certificate)? Furthest(int primary, int limit, IEnumerable<int> geography, IEnumerable<int> time, IEnumerable<int> cells)
    {
        var (g0, t0, c0) = _table.Coordinates(primary);
        var areas = geography.Append(g0).Distinct().ToArray();
        var slots = time.Append(t0).Distinct().ToArray();
        var codes = cells.Append(c0).Distinct().ToArray();

        using var solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("The GLOP solver is not available.");

        // A hidden cell moves by one free variable; a published one by a rise and a fall, each costing the
        // information lost (|move| without the two rows an absolute value would need).
        var variables = new Dictionary<int, (Variable Rise, Variable? Fall)>();
        var objective = solver.Objective();
        var k = checker.Threshold;
        foreach (var g in areas)
        {
            foreach (var t in slots)
            {
                foreach (var c in codes)
                {
                    var cell = _table.Index(g, t, c);
                    if (_table.Kinds[cell] != CellKind.Protectable)
                    {
                        continue;
                    }

                    var x = _table.Values[cell]!.Value;
                    var (low, high) = checker.FlagBounded(cell) ? (1.0 - x, k - 1.0 - x) : (-x, double.PositiveInfinity);
                    if (cell == primary)
                    {
                        (low, high) = limit > 0 ? (0, limit) : (limit, 0);
                    }

                    if (checker.Hidden[cell])
                    {
                        variables[cell] = (solver.MakeNumVar(low, high, string.Empty), null);
                        continue;
                    }

                    var rise = solver.MakeNumVar(0, Math.Max(high, 0), string.Empty);
                    var fall = solver.MakeNumVar(0, Math.Max(-low, 0), string.Empty);
                    objective.SetCoefficient(rise, checker.Weight(cell));
                    objective.SetCoefficient(fall, checker.Weight(cell));
                    variables[cell] = (rise, fall);
                }
            }
        }

        Variables = variables.Count;
        if (!variables.ContainsKey(primary))
        {
            return null;
        }

        var relations = new HashSet<int>();
        foreach (var cell in variables.Keys)
        {
            relations.UnionWith(_table.RelationsOf(cell));
        }

        foreach (var r in relations)
        {
            var relation = _table.Relations[r];
            var (low, high) = relation.Kind switch
            {
                RelationKind.AtLeast => (-(double)checker.ResidualOf(r)!.Value, double.PositiveInfinity),
                RelationKind.AtMost => (double.NegativeInfinity, -(double)checker.ResidualOf(r)!.Value),
                _ => (0.0, 0.0),
            };
            var constraint = solver.MakeConstraint(low, high);
            Term(constraint, relation.Parent, 1);
            foreach (var child in relation.Children)
            {
                Term(constraint, child, -1);
            }
        }

        // Reach first (each unit of it outweighs any information loss), then the least loss.
        objective.SetCoefficient(variables[primary].Rise, -Math.Sign(limit) * ReachWeight);
        objective.SetMinimization();
        if (solver.Solve() != Solver.ResultStatus.OPTIMAL)
        {
            return null;
        }

        var reach = Math.Abs(Move(variables[primary]));
        var moved = variables.Select(v => (Cell: v.Key, Delta: Math.Round(Move(v.Value), 9))).Where(v => Math.Abs(v.Delta) > Zero).ToList();
        int[] certificateCells = [.. moved.Select(v => v.Cell)];
        double[] deltas = [.. moved.Select(v => v.Delta)];
        return reach > Zero && checker.IsValid(certificateCells, deltas)
            ? (reach, new Certificate(certificateCells, deltas, certificateCells.Sum(checker.Weight)))
            : null;

        void Term(Constraint constraint, int cell, int sign)
        {
            if (variables.TryGetValue(cell, out var move))
            {
                constraint.SetCoefficient(move.Rise, sign);
                if (move.Fall is { } fall)
                {
                    constraint.SetCoefficient(fall, -sign);
                }
            }
        }

        static double Move((Variable Rise, Variable? Fall) move) => move.Rise.SolutionValue() - (move.Fall?.SolutionValue() ?? 0);
    }
}
