namespace Observatoire.Core.Disclosure;

/// <summary>
/// Statistical disclosure control by cell suppression ("secret statistique"): hides small counts
/// (primary suppression), then hides further cells (secondary suppression) until no hidden cell can be
/// recomputed from the published cells through the margin relations, by any sum or difference of them.
/// </summary>
/// <remarks>
/// <para>
/// Primary: a protectable cell whose value is 1 to k-1 (<see cref="DisclosureOptions.Threshold"/>, read once
/// at construction).
/// </para>
/// <para>
/// Secondary: the attacker's unknowns are the suppressed cells and the null cells. A suppressed cell is
/// exposed when the margin equations, restricted to the unknowns, pin it down (every null-space vector is
/// zero on it); <see cref="UnknownSystem"/> keeps that system eliminated as unknowns are added, so this is
/// known at all times. In passes over the cells exposed at the start of the pass, each one still exposed
/// gets the attacker's nearest derivation (a combination of the margins closest to it that recomputes it),
/// and we hide published protectable cells that break it, chosen by, in order:
/// </para>
/// <list type="number">
/// <item>covers that free the cell at once: one cell whose column is already a combination of the unknown
/// columns, or two cells that are so together (it closes a cycle, like the last corners of a rectangle in a
/// two-way table), before a single cell that is itself exposed and calls for more suppressions;</item>
/// <item>fewer zeros: a hidden zero is often known anyway (structural zero), and hidden next to a small cell
/// it yields an upper bound equal to the small cell's true value;</item>
/// <item>the smallest total value: least information lost; totals, larger than their parts, stay published;</item>
/// <item>fewer cells, then cells sharing a margin with the exposed cell (the most local protection);</item>
/// <item>the lowest cell indices, so that the result is deterministic.</item>
/// </list>
/// <para>
/// Covers chosen in a pass wait for the next pass, where the cells they were chosen for can close a cycle
/// with them instead of wandering further. Hiding cells never makes a hidden cell recomputable again and each
/// cover hides at least one more cell, so the passes end.
/// </para>
/// <para>
/// A cell that the always-published (non-protectable) cells reveal on their own cannot be protected: such
/// cells are found first, by hiding every protectable cell at once. A small one keeps its primary status but
/// no suppression is spent on it, and none is chosen as a secondary cell, since hiding it hides nothing.
/// </para>
/// <para>
/// This is protection against exact recomputation (linear algebra), as the published margins allow. It does
/// not bound the interval an attacker gets by also using that counts are non-negative.
/// </para>
/// </remarks>
public sealed class DisclosureControl(DisclosureOptions options)
{
    private readonly int _threshold = options is null
        ? throw new ArgumentNullException(nameof(options))
        : options.Threshold >= 1
            ? options.Threshold
            : throw new ArgumentOutOfRangeException(nameof(options), options.Threshold, "The threshold must be at least 1.");

    /// <summary>One status per cell of the table; null-valued cells are <see cref="CellConfidentiality.Free"/>.</summary>
    public CellConfidentiality[] Protect(DisclosureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var values = table.Values ?? throw new ArgumentException("The table has no values.", nameof(table));
        var protectable = table.Protectable ?? throw new ArgumentException("The table has no protectable flags.", nameof(table));
        var margins = table.Margins ?? throw new ArgumentException("The table has no margins.", nameof(table));
        var n = values.Count;
        if (protectable.Count != n)
        {
            throw new ArgumentException($"The table has {n} values but {protectable.Count} protectable flags.", nameof(table));
        }

        for (var i = 0; i < n; i++)
        {
            if (values[i] < 0)
            {
                throw new ArgumentException($"Cell {i} has a negative count ({values[i]}).", nameof(table));
            }
        }

        var status = new CellConfidentiality[n];
        var equations = Equations(margins, n, cell => protectable[cell] || values[cell] is null);
        var unprotectable = RevealedByAlwaysPublishedCells(n, equations, protectable, values);
        var system = new UnknownSystem(n, equations);
        for (var i = 0; i < n; i++)
        {
            if (values[i] is null)
            {
                system.MakeUnknown(i);
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (protectable[i] && values[i] is { } v && v >= 1 && v < _threshold)
            {
                status[i] = CellConfidentiality.Primary;
                system.MakeUnknown(i);
            }
        }

        var chooser = new CoverChooser(system, values, protectable, unprotectable);
        var exposed = new List<int>();
        while (true)
        {
            // The cells exposed at the start of the pass; covers chosen during the pass wait for the next one,
            // where the cells they were chosen for can pick partners that close a cycle with them.
            exposed.Clear();
            for (var i = 0; i < n; i++)
            {
                if (status[i] != CellConfidentiality.Free && !unprotectable[i] && system.IsDetermined(i))
                {
                    exposed.Add(i);
                }
            }

            if (exposed.Count == 0)
            {
                break;
            }

            foreach (var i in exposed)
            {
                // Re-checked: a suppression made earlier in this pass may already have freed this cell.
                if (!system.IsDetermined(i))
                {
                    continue;
                }

                if (chooser.Choose(i) is not { } cover)
                {
                    // Defensive: no hideable cell takes part in the derivation, so always-published cells reveal
                    // the cell, which the check above already found. Give up on it rather than loop.
                    unprotectable[i] = true;
                    continue;
                }

                status[cover.First] = CellConfidentiality.Secondary;
                system.MakeUnknown(cover.First);
                if (cover.Second >= 0)
                {
                    status[cover.Second] = CellConfidentiality.Secondary;
                    system.MakeUnknown(cover.Second);
                }
            }
        }

        return status;
    }

    /// <summary>
    /// Cells that the always-published cells reveal whatever we hide: no suppression can protect them, and
    /// suppressing them would hide nothing from the attacker. They are the cells still determined when every
    /// cell that can be hidden is unknown.
    /// </summary>
    private static bool[] RevealedByAlwaysPublishedCells(
        int cellCount, (int Cell, long Coefficient)[][] equations, IReadOnlyList<bool> protectable, IReadOnlyList<long?> values)
    {
        var everythingHidden = new UnknownSystem(cellCount, equations);
        for (var i = 0; i < cellCount; i++)
        {
            if (protectable[i] || values[i] is null)
            {
                everythingHidden.MakeUnknown(i);
            }
        }

        var revealed = new bool[cellCount];
        for (var i = 0; i < cellCount; i++)
        {
            revealed[i] = everythingHidden.IsDetermined(i);
        }

        return revealed;
    }

    /// <summary>
    /// One equation per margin (+1 on the total, -1 on each part, repeated cells summed) that can ever hold an
    /// unknown; a margin of always-published cells only tells the attacker what is already published.
    /// </summary>
    private static (int Cell, long Coefficient)[][] Equations(IReadOnlyList<Margin> margins, int cellCount, Func<int, bool> canBeUnknown)
    {
        var equations = new List<(int, long)[]>(margins.Count);
        var terms = new SortedDictionary<int, long>();
        for (var index = 0; index < margins.Count; index++)
        {
            var margin = margins[index] ?? throw new ArgumentException($"Margin {index} is null.", "table");
            var parts = margin.Parts ?? throw new ArgumentException($"Margin {index} has no parts.", "table");
            terms.Clear();
            AddTerm(margin.Total, 1);
            foreach (var part in parts)
            {
                AddTerm(part, -1);
            }

            var equation = terms.Where(t => t.Value != 0).Select(t => (t.Key, t.Value)).ToArray();
            if (equation.Any(t => canBeUnknown(t.Key)))
            {
                equations.Add(equation);
            }

            void AddTerm(int cell, long coefficient)
            {
                if ((uint)cell >= (uint)cellCount)
                {
                    throw new ArgumentException($"Margin {index} refers to cell {cell}, outside the {cellCount} cells.", "table");
                }

                terms[cell] = terms.GetValueOrDefault(cell) + coefficient;
            }
        }

        return [.. equations];
    }

    /// <summary>Picks the published cells to suppress so that an exposed cell loses its nearest derivation.</summary>
    private sealed class CoverChooser(UnknownSystem system, IReadOnlyList<long?> values, IReadOnlyList<bool> protectable, bool[] unprotectable)
    {
        private readonly int[] _seenCell = new int[values.Count];
        private readonly int[] _exposedEquation = new int[system.EquationCount];
        private readonly ulong[] _derivation = new ulong[system.EquationCount];
        private int _stamp;

        /// <summary>One or two cells to suppress, or none when no hideable cell takes part in the derivation.</summary>
        public Cover? Choose(int exposed)
        {
            _stamp++;
            foreach (var e in system.EquationsOf(exposed))
            {
                _exposedEquation[e] = _stamp;
            }

            var derivationEquations = system.Derivation(exposed, _derivation);
            Cover? best = null;
            foreach (var e in derivationEquations)
            {
                foreach (var cell in system.CellsOf(e))
                {
                    if (_seenCell[cell] == _stamp)
                    {
                        continue;
                    }

                    _seenCell[cell] = _stamp;
                    var weight = system.Dot(_derivation, cell);
                    if (!CanHide(cell) || weight == 0)
                    {
                        continue;
                    }

                    var residue = system.Residue(cell);
                    var single = Single(cell, closes: residue == (0, 0));
                    best = Better(best, single);
                    if (!single.Closes)
                    {
                        best = Better(best, BestPartner(cell, weight, residue));
                    }
                }
            }

            foreach (var e in derivationEquations)
            {
                _derivation[e] = 0;
            }

            return best;
        }

        /// <summary>
        /// The cheapest cell that, hidden together with <paramref name="cell"/>, cancels its residue and frees the
        /// exposed cell: the cell after next of a cycle, looked for among the cells sharing a margin with it.
        /// </summary>
        private Cover? BestPartner(int cell, ulong weight, (ulong First, ulong Second) residue)
        {
            Cover? best = null;
            foreach (var e in system.EquationsOf(cell))
            {
                foreach (var partner in system.CellsOf(e))
                {
                    if (partner == cell || !CanHide(partner))
                    {
                        continue;
                    }

                    var other = system.Residue(partner);
                    if (other == (0, 0)
                        || PrimeField.Mul(residue.First, other.Second) != PrimeField.Mul(residue.Second, other.First))
                    {
                        continue;
                    }

                    // Hidden together, they add the column c_partner - alpha c_cell (alpha = ratio of residues), a
                    // combination of unknowns; it frees the exposed cell when the derivation does not cancel on it.
                    var partnerWeight = system.Dot(_derivation, partner);
                    if (PrimeField.Mul(partnerWeight, residue.First) == PrimeField.Mul(weight, other.First))
                    {
                        continue;
                    }

                    best = Better(best, Pair(cell, partner));
                }
            }

            return best;
        }

        private bool CanHide(int cell) => !system.IsUnknown(cell) && protectable[cell] && !unprotectable[cell];

        private Cover Single(int cell, bool closes)
        {
            var value = values[cell]!.Value;
            return new Cover(cell, -1, closes, value == 0 ? 1 : 0, value, SharesMargin(cell));
        }

        private Cover Pair(int first, int second)
        {
            long a = values[first]!.Value, b = values[second]!.Value;
            return new Cover(first, second, true, (a == 0 ? 1 : 0) + (b == 0 ? 1 : 0), a + b, SharesMargin(first) || SharesMargin(second));
        }

        private static Cover? Better(Cover? current, Cover? candidate) =>
            candidate is { } c && (current is not { } b || c.IsBetterThan(b)) ? c : current;

        private bool SharesMargin(int cell)
        {
            foreach (var e in system.EquationsOf(cell))
            {
                if (_exposedEquation[e] == _stamp)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>One cell to suppress, or two that close a cycle only together (<see cref="Second"/> is then not -1).</summary>
    private readonly record struct Cover(int First, int Second, bool Closes, int Zeros, long Value, bool SharesMargin)
    {
        public int CellCount => Second < 0 ? 1 : 2;

        public bool IsBetterThan(Cover other) =>
            Closes != other.Closes ? Closes
            : Zeros != other.Zeros ? Zeros < other.Zeros
            : Value != other.Value ? Value < other.Value
            : CellCount != other.CellCount ? CellCount < other.CellCount
            : SharesMargin != other.SharesMargin ? SharesMargin
            : First != other.First ? First < other.First
            : Second < other.Second;
    }
}
