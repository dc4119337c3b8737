namespace Observatoire.Core.Disclosure;

/// <summary>A move along one dimension: coordinates with +1 or -1, the primary's own coordinate at +1.</summary>
internal sealed record Move(int[] Coordinates, int[] Signs, double ProxyCost);

/// <summary>
/// Finds cheap certificates as products of one move per dimension (the hypercube method of GHMITER and sdcTable):
/// a move keeps every family of its dimension, so the product keeps every relation of the linked table. Along
/// each dimension a move balances the primary's coordinate by a sibling moving the other way, or by its parent
/// moving with it up to a free root, and every parent it moves by one of its children.
/// </summary>
internal sealed class HypercubeSearch(CertificateChecker checker)
{
    private const int Branching = 5;
    private const int MovesPerDimension = 5;
    private const int MovesGenerated = 40;
    private const int CandidatesCompared = 3;

    private readonly LinkedTable _table = checker.Table;

    /// <summary>The cheapest product certificate moving <paramref name="primary"/> by <paramref name="delta"/>, or null.</summary>
    public Certificate? Find(int primary, int delta, out (List<Move> Geography, List<Move> Time, List<Move> Cells) moves)
    {
        var (g, t, c) = _table.Coordinates(primary);
        var time = _table.TimeOf[c];
        moves = (
            Generate(_table.Geography, g, rootFixed: true, (q, s) => Proxy(_table.Index(q, t, c), s * delta)),
            Generate(time, t, rootFixed: false, (q, s) => Proxy(_table.Index(g, q, c), s * delta)),
            Generate(_table.Cells, c, rootFixed: false, (q, s) => Proxy(_table.Index(g, t, q), s * delta)));

        // Products in order of their cost along each dimension; the first few that hold are compared in full.
        var geography = moves.Geography.Take(MovesPerDimension).ToList();
        var times = moves.Time.Take(MovesPerDimension).ToList();
        var codes = moves.Cells.Take(MovesPerDimension).ToList();
        var products = new List<(Move G, Move T, Move C, double Proxy)>(geography.Count * times.Count * codes.Count);
        foreach (var mg in geography)
        {
            foreach (var mt in times)
            {
                products.AddRange(codes.Select(mc => (mg, mt, mc, mg.ProxyCost + mt.ProxyCost + mc.ProxyCost)));
            }
        }

        products.Sort((a, b) => a.Proxy.CompareTo(b.Proxy));
        Certificate? best = null;
        var valid = 0;
        var cells = new List<int>();
        var deltas = new List<double>();
        foreach (var (mg, mt, mc, _) in products)
        {
            cells.Clear();
            deltas.Clear();
            var cost = 0.0;
            for (var i = 0; i < mg.Coordinates.Length; i++)
            {
                for (var j = 0; j < mt.Coordinates.Length; j++)
                {
                    for (var l = 0; l < mc.Coordinates.Length; l++)
                    {
                        var cell = _table.Index(mg.Coordinates[i], mt.Coordinates[j], mc.Coordinates[l]);
                        cells.Add(cell);
                        deltas.Add((double)mg.Signs[i] * mt.Signs[j] * mc.Signs[l] * delta);
                        cost += checker.Weight(cell);
                    }
                }
            }

            if ((best is null || cost < best.Cost) && checker.IsValid(cells, deltas))
            {
                best = new Certificate([.. cells], [.. deltas], cost);
                if (cost == 0 || ++valid >= CandidatesCompared)
                {
                    break;
                }
            }
        }

        return best;
    }

    private double Proxy(int cell, int delta) => checker.CanMove(cell, delta) ? checker.Weight(cell) : double.PositiveInfinity;

    /// <summary>Moves of coordinate <paramref name="start"/> by +1, cheapest first by the cells they add along this dimension.</summary>
    internal static List<Move> Generate(TableDimension dimension, int start, bool rootFixed, Func<int, int, double> cost)
    {
        var found = new Dictionary<string, Move>();
        var chosen = new Dictionary<int, int> { [start] = 1 };
        var pending = new List<(bool Up, int Target, int Sign)> { (true, start, 1) };
        pending.AddRange(dimension.ChildFamiliesOf(start).Select(f => (false, f, 1)));
        Recurse(pending);

        // Moves that keep a relation only by its sign: a cell alone, or against a sibling, where the parent holds
        // contributions its children do not (quarterly posts in a quarter); the checker keeps those that hold.
        Emit(new Dictionary<int, int> { [start] = 1 });
        if (dimension.ParentFamilyOf(start) is var family and >= 0)
        {
            foreach (var sibling in dimension.Families[family].Children.Where(s => s != start))
            {
                Emit(new Dictionary<int, int> { [start] = 1, [sibling] = -1 });
            }
        }

        return [.. found.Values.OrderBy(m => m.ProxyCost).ThenBy(m => m.Coordinates.Length)];

        void Recurse(List<(bool Up, int Target, int Sign)> obligations)
        {
            if (found.Count >= MovesGenerated)
            {
                return;
            }

            if (obligations.Count == 0)
            {
                Emit(chosen);
                return;
            }

            var (up, target, sign) = obligations[^1];
            var rest = obligations.GetRange(0, obligations.Count - 1);
            if (!up)
            {
                // A parent moved: one of its children in this family moves with it; where none can, the parent may
                // still move alone if the relation is known only by its sign (the checker decides).
                var children = Cheapest(dimension.Families[target].Children, sign).ToList();
                foreach (var child in children)
                {
                    Try(child, sign, [.. rest, .. dimension.ChildFamiliesOf(child).Select(f => (false, f, sign))]);
                }

                if (children.Count == 0)
                {
                    Recurse(rest);
                }

                return;
            }

            var parentFamily = dimension.ParentFamilyOf(target);
            if (parentFamily < 0)
            {
                if (!rootFixed)
                {
                    Recurse(rest);
                }

                return;
            }

            var members = dimension.Families[parentFamily];
            var siblings = Cheapest(members.Children.Where(s => s != target), -sign).ToList();
            foreach (var sibling in siblings)
            {
                Try(sibling, -sign, [.. rest, .. dimension.ChildFamiliesOf(sibling).Select(f => (false, f, -sign))]);
            }

            var parentMoves = !chosen.ContainsKey(members.Parent) && !double.IsPositiveInfinity(cost(members.Parent, sign));
            if (parentMoves)
            {
                Try(members.Parent, sign, [
                    .. rest,
                    (true, members.Parent, sign),
                    .. dimension.ChildFamiliesOf(members.Parent).Where(f => f != parentFamily).Select(f => (false, f, sign))]);
            }

            if (siblings.Count == 0 && !parentMoves)
            {
                Recurse(rest);
            }
        }

        void Try(int coordinate, int sign, List<(bool Up, int Target, int Sign)> obligations)
        {
            if (chosen.ContainsKey(coordinate))
            {
                return;
            }

            chosen[coordinate] = sign;
            Recurse(obligations);
            chosen.Remove(coordinate);
        }

        IEnumerable<int> Cheapest(IEnumerable<int> candidates, int sign) =>
            candidates
                .Where(c => !chosen.ContainsKey(c))
                .Select(c => (Coordinate: c, Cost: cost(c, sign)))
                .Where(c => !double.IsPositiveInfinity(c.Cost))
                .OrderBy(c => c.Cost)
                .ThenBy(c => c.Coordinate)
                .Take(Branching)
                .Select(c => c.Coordinate);

        void Emit(Dictionary<int, int> move)
        {
            var coordinates = move.Keys.Order().ToArray();
            var key = string.Join(',', coordinates.Select(c => move[c] > 0 ? c : -c - 1));
            if (found.ContainsKey(key))
            {
                return;
            }

            var proxy = coordinates.Where(c => c != start).Sum(c => cost(c, move[c]));
            if (!double.IsPositiveInfinity(proxy))
            {
                found[key] = new Move(coordinates, [.. coordinates.Select(c => move[c])], proxy);
            }
        }
    }
}
