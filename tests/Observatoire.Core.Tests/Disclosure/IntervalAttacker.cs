using Google.OrTools.LinearSolver;

namespace Observatoire.Core.Tests.Disclosure;

/// <summary>
/// The test's attacker: from the values a reader sees, what a reader knows of the hidden ones (non-negative,
/// 1..k-1 when flagged primary) and the additive relations a reader can write (equal, or only by their sign), it
/// computes the range of each hidden cell by linear programming (GLOP), minimum and maximum.
/// </summary>
internal sealed class IntervalAttacker : IDisposable
{
    private readonly Solver _solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("GLOP is not available.");
    private readonly Dictionary<string, Variable> _hidden = [];
    private readonly Dictionary<string, double> _known = [];

    /// <summary>A value every reader sees (published, national, or the zero of an area without data).</summary>
    public void Known(string cell, double value) => _known[cell] = value;

    /// <summary>A hidden cell, within what its flag tells (1..k-1 for a primary cell, otherwise only non-negative).</summary>
    public void Hidden(string cell, double low = 0, double high = double.PositiveInfinity) =>
        _hidden[cell] = _solver.MakeNumVar(low, high, cell);

    public bool IsHidden(string cell) => _hidden.ContainsKey(cell);

    /// <summary>parent = sum(children) (sign 0), parent >= sum (sign 1) or parent <= sum (sign -1).</summary>
    public void Relation(string parent, IEnumerable<string> children, int sign = 0)
    {
        var constant = 0.0;
        var terms = new List<(Variable, double)>();
        Term(parent, 1);
        foreach (var child in children)
        {
            Term(child, -1);
        }

        if (terms.Count == 0)
        {
            return;
        }

        // sum(terms) + constant = 0, >= 0 or <= 0.
        var constraint = sign switch
        {
            > 0 => _solver.MakeConstraint(-constant, double.PositiveInfinity),
            < 0 => _solver.MakeConstraint(double.NegativeInfinity, -constant),
            _ => _solver.MakeConstraint(-constant, -constant),
        };
        foreach (var (variable, coefficient) in terms)
        {
            constraint.SetCoefficient(variable, constraint.GetCoefficient(variable) + coefficient);
        }

        void Term(string cell, double coefficient)
        {
            if (_hidden.TryGetValue(cell, out var variable))
            {
                terms.Add((variable, coefficient));
            }
            else
            {
                constant += coefficient * (_known.TryGetValue(cell, out var value) ? value : throw new ArgumentException($"Cell {cell} is neither known nor hidden."));
            }
        }
    }

    /// <summary>The attacker's range for a hidden cell: [min, max] over everything it knows.</summary>
    public (double Low, double High) Interval(string cell)
    {
        var variable = _hidden[cell];
        var objective = _solver.Objective();
        objective.Clear();
        objective.SetCoefficient(variable, 1);
        objective.SetMinimization();
        var low = Solve(maximize: false);
        objective.SetMaximization();
        var high = Solve(maximize: true);
        return (low, high);

        double Solve(bool maximize)
        {
            var status = _solver.Solve();
            return status switch
            {
                Solver.ResultStatus.OPTIMAL => variable.SolutionValue(),
                Solver.ResultStatus.UNBOUNDED => maximize ? double.PositiveInfinity : double.NegativeInfinity,
                _ => throw new InvalidOperationException($"The attacker's program is {status}: the published table contradicts the relations."),
            };
        }
    }

    public void Dispose() => _solver.Dispose();
}
