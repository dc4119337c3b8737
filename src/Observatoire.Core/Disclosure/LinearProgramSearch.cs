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

    /// <summary>The furthest move of the primary cell in the direction of <paramref name="limit"/>'s sign, at most |limit|, or null.</summary>
    public (double Reach, Certificate Certificate)? Furthest(int primary, int limit, IEnumerable<int> geography, IEnumerable<int> time, IEnumerable<int> cells)
    {
        var (g0, t0, c0) = _table.Coordinates(primary);
        var areas = geography.Append(g0).Distinct().ToArray();
        var slots = time.Append(t0).Distinct().ToArray();
        var codes = cells.Append(c0).Distinct().ToArray();

        using var solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("The GLOP solver is not available.");
        var variables = new Dictionary<int, Variable>();
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
                    double low, high;
                    if (checker.Primary[cell])
                    {
                        (low, high) = (1 - x, k - 1 - x);
                    }
                    else
                    {
                        (low, high) = (-x, double.PositiveInfinity);
                    }

                    if (cell == primary)
                    {
                        (low, high) = limit > 0 ? (0, limit) : (limit, 0);
                    }

                    var y = solver.MakeNumVar(low, high, string.Empty);
                    variables[cell] = y;
                    if (!checker.Hidden[cell])
                    {
                        // |y| through an auxiliary variable: the information lost grows with the cell and the move.
                        var size = solver.MakeNumVar(0, double.PositiveInfinity, string.Empty);
                        solver.Add(size >= y);
                        solver.Add(size >= -y);
                        objective.SetCoefficient(size, checker.Weight(cell));
                    }
                }
            }
        }

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
            if (variables.TryGetValue(relation.Parent, out var parent))
            {
                constraint.SetCoefficient(parent, 1);
            }

            foreach (var child in relation.Children)
            {
                if (variables.TryGetValue(child, out var y))
                {
                    constraint.SetCoefficient(y, -1);
                }
            }
        }

        // Reach first (each unit of it outweighs any information loss), then the least loss.
        objective.SetCoefficient(variables[primary], -Math.Sign(limit) * ReachWeight);
        objective.SetMinimization();
        if (solver.Solve() != Solver.ResultStatus.OPTIMAL)
        {
            return null;
        }

        var reach = Math.Abs(variables[primary].SolutionValue());
        var moved = variables.Where(v => Math.Abs(v.Value.SolutionValue()) > Zero).ToList();
        int[] certificateCells = [.. moved.Select(v => v.Key)];
        double[] deltas = [.. moved.Select(v => Math.Round(v.Value.SolutionValue(), 9))];
        return reach > Zero && checker.IsValid(certificateCells, deltas)
            ? (reach, new Certificate(certificateCells, deltas, certificateCells.Sum(checker.Weight)))
            : null;
    }
}
