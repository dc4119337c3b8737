namespace Observatoire.Core.Disclosure;

/// <summary>
/// Bounds of every cell of a <see cref="LinkedTable"/> that no suppression can widen: the interval a reader
/// derives from the known cells alone, every relation, non-negativity and the 1..k-1 of a primary cell, as if
/// every protectable cell were hidden. Computed by interval propagation along each relation until nothing
/// tightens (a relaxation of the reader's linear program, so the true attainable interval lies inside). A
/// primary cell whose bounds are narrower than the protection range cannot reach it whatever is suppressed:
/// the planner aims at what is attainable and reports the cell.
/// </summary>
internal sealed class IntervalBounds
{
    private const int MaxPasses = 50;

    private IntervalBounds(double[] low, double[] high)
    {
        Low = low;
        High = high;
    }

    public double[] Low { get; }

    public double[] High { get; }

    /// <summary>The width that can be attained for a cell, in whole units.</summary>
    public int AttainableRange(int cell) => double.IsPositiveInfinity(High[cell])
        ? int.MaxValue
        : (int)Math.Floor(High[cell] - Low[cell] + 1e-9);

    public static IntervalBounds Propagate(LinkedTable table, int threshold, bool[] flagged)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(flagged);
        var low = new double[table.Size];
        var high = new double[table.Size];
        for (var i = 0; i < table.Size; i++)
        {
            (low[i], high[i]) = table.Kinds[i] switch
            {
                CellKind.Known => (table.Values[i]!.Value, (double)table.Values[i]!.Value),
                _ when flagged[i] => (1.0, threshold - 1.0),
                _ => (0.0, double.PositiveInfinity),
            };
        }

        // Only relations with a cell that may move matter; each pass visits them all.
        var relations = table.Relations;
        var pending = new bool[relations.Count];
        var queue = new Queue<int>();
        for (var r = 0; r < relations.Count; r++)
        {
            pending[r] = true;
            queue.Enqueue(r);
        }

        var budget = (long)relations.Count * MaxPasses;
        while (queue.Count > 0 && budget-- > 0)
        {
            var r = queue.Dequeue();
            pending[r] = false;
            foreach (var changed in Tighten(relations[r], low, high))
            {
                foreach (var other in table.RelationsOf(changed))
                {
                    if (!pending[other])
                    {
                        pending[other] = true;
                        queue.Enqueue(other);
                    }
                }
            }
        }

        return new IntervalBounds(low, high);
    }

    /// <summary>Tightens the cells of one relation (parent against the sum of its children); yields those that moved.</summary>
    private static List<int> Tighten(Relation relation, double[] low, double[] high)
    {
        var changed = new List<int>();
        double sumLow = 0, sumHigh = 0;
        foreach (var child in relation.Children)
        {
            sumLow += low[child];
            sumHigh += high[child];
        }

        var parent = relation.Parent;

        // The relation bounds the parent by its children: equality both ways, an inequality one way.
        if (relation.Kind is RelationKind.Equality or RelationKind.AtLeast)
        {
            Raise(parent, sumLow);
        }

        if (relation.Kind is RelationKind.Equality or RelationKind.AtMost)
        {
            Lower(parent, sumHigh);
        }

        // Each child by the parent and its siblings.
        foreach (var child in relation.Children)
        {
            var othersLow = sumLow - low[child];
            var othersHigh = double.IsPositiveInfinity(sumHigh) ? OthersHigh(relation, child, high) : sumHigh - high[child];
            if (relation.Kind is RelationKind.Equality or RelationKind.AtLeast)
            {
                Lower(child, high[parent] - othersLow);
            }

            if (relation.Kind is RelationKind.Equality or RelationKind.AtMost)
            {
                Raise(child, low[parent] - othersHigh);
            }
        }

        return changed;

        void Raise(int cell, double bound)
        {
            if (bound > low[cell] + 1e-9 && !double.IsInfinity(bound))
            {
                low[cell] = Math.Min(bound, high[cell]);
                changed.Add(cell);
            }
        }

        void Lower(int cell, double bound)
        {
            if (bound < high[cell] - 1e-9 && !double.IsInfinity(bound))
            {
                high[cell] = Math.Max(bound, low[cell]);
                changed.Add(cell);
            }
        }
    }

    private static double OthersHigh(Relation relation, int child, double[] high)
    {
        var sum = 0.0;
        foreach (var other in relation.Children)
        {
            if (other != child)
            {
                sum += high[other];
            }
        }

        return sum;
    }
}
