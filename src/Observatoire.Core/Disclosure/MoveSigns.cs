namespace Observatoire.Core.Disclosure;

/// <summary>
/// A cheap proof that a primary cell cannot move at all in one direction within a sub-table, before any linear
/// program is built for it. The linear program of <see cref="LinearProgramSearch"/> starts from the true table (a
/// move of zero, always feasible); it reaches beyond zero only if some direction of move keeps every relation and
/// every bound that is tight at zero. Inequality relations are never tight there (a relation is an inequality only
/// when its residual is not zero), so only the equalities count, and the bounds of cells that cannot go one way
/// (a count of zero cannot fall, a primary count of 1 cannot fall, of k-1 cannot rise). Signs are then propagated
/// along the equalities: a cell may move up only if, in each of its equalities, another cell may move so as to
/// compensate. What this removes no move can have, so when the primary cell's direction is removed every program
/// over the sub-table (or a part of it) reaches nothing: skipping them changes no plan.
/// </summary>
internal sealed class MoveSigns(CertificateChecker checker)
{
    private const byte Up = 1;
    private const byte Down = 2;

    private readonly LinkedTable _table = checker.Table;
    private readonly byte[] _signs = new byte[checker.Table.Size];
    private readonly bool[] _queued = new bool[checker.Table.Relations.Count];
    private readonly List<int> _touched = [];

    /// <summary>False when the primary cell provably cannot move in the direction of <paramref name="sign"/> within the sub-table.</summary>
    public bool CanMove(int primary, int sign, IEnumerable<int> geography, IEnumerable<int> time, IEnumerable<int> cells)
    {
        var slots = time.ToArray();
        var codes = cells.ToArray();
        var k = checker.Threshold;
        var queue = new Queue<int>();
        try
        {
            foreach (var g in geography.Distinct())
            {
                foreach (var t in slots)
                {
                    foreach (var c in codes)
                    {
                        var cell = _table.Index(g, t, c);
                        if (_table.Kinds[cell] != CellKind.Protectable || _signs[cell] != 0)
                        {
                            continue;
                        }

                        var x = _table.Values[cell]!.Value;
                        var (low, high) = checker.FlagBounded(cell) ? (1 - x, k - 1 - x) : (-x, long.MaxValue);
                        var signs = (byte)((high > 0 ? Up : 0) | (low < 0 ? Down : 0));
                        if (cell == primary)
                        {
                            signs &= sign > 0 ? Up : Down;
                        }

                        if (signs == 0)
                        {
                            continue;
                        }

                        _signs[cell] = signs;
                        _touched.Add(cell);
                    }
                }
            }

            if (_signs[primary] == 0)
            {
                return false;
            }

            foreach (var cell in _touched)
            {
                foreach (var r in _table.RelationsOf(cell))
                {
                    Enqueue(r);
                }
            }

            while (queue.Count > 0)
            {
                var r = queue.Dequeue();
                _queued[r] = false;
                Narrow(r);
                if (_signs[primary] == 0)
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            foreach (var cell in _touched)
            {
                _signs[cell] = 0;
            }

            _touched.Clear();
            foreach (var r in queue)
            {
                _queued[r] = false;
            }
        }

        void Enqueue(int r)
        {
            if (!_queued[r] && _table.Relations[r].Kind == RelationKind.Equality)
            {
                _queued[r] = true;
                queue.Enqueue(r);
            }
        }

        // parent - sum(children) = 0: a term moves the sum up when the parent rises or a child falls.
        void Narrow(int r)
        {
            var relation = _table.Relations[r];
            int raising = Raising(relation.Parent, 1), lowering = Lowering(relation.Parent, 1);
            foreach (var child in relation.Children)
            {
                raising += Raising(child, -1);
                lowering += Lowering(child, -1);
            }

            Check(relation.Parent, 1);
            foreach (var child in relation.Children)
            {
                Check(child, -1);
            }

            void Check(int cell, int coefficient)
            {
                var signs = _signs[cell];
                if (signs == 0)
                {
                    return;
                }

                // Each way the cell may go must be compensated by another term going the other way.
                var ownRaising = Raising(cell, coefficient);
                var ownLowering = Lowering(cell, coefficient);
                var kept = signs;
                foreach (var way in new[] { Up, Down })
                {
                    if ((signs & way) == 0)
                    {
                        continue;
                    }

                    var raises = (way == Up) == (coefficient > 0);
                    if ((raises ? lowering - ownLowering : raising - ownRaising) == 0)
                    {
                        kept &= (byte)~way;
                    }
                }

                if (kept != signs)
                {
                    raising -= ownRaising - Raising(cell, coefficient, kept);
                    lowering -= ownLowering - Lowering(cell, coefficient, kept);
                    _signs[cell] = kept;
                    foreach (var other in _table.RelationsOf(cell))
                    {
                        Enqueue(other);
                    }
                }
            }
        }

        int Raising(int cell, int coefficient, byte? signs = null) =>
            ((signs ?? _signs[cell]) & (coefficient > 0 ? Up : Down)) != 0 ? 1 : 0;

        int Lowering(int cell, int coefficient, byte? signs = null) =>
            ((signs ?? _signs[cell]) & (coefficient > 0 ? Down : Up)) != 0 ? 1 : 0;
    }
}
