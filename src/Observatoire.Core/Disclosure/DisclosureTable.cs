namespace Observatoire.Core.Disclosure;

/// <summary>
/// A published additive relation between cells: value[<paramref name="Total"/>] equals the sum of
/// value[p] over <paramref name="Parts"/>. Indices refer to <see cref="DisclosureTable.Values"/>.
/// </summary>
public sealed record Margin(int Total, IReadOnlyList<int> Parts);

/// <summary>
/// A table submitted to disclosure control: one value and one protectable flag per cell, and the
/// margin relations an attacker can use to recompute suppressed cells.
/// </summary>
/// <param name="Values">
/// Cell counts. Null means the cell is not published for another reason (e.g. not derivable): it is an
/// unknown to an attacker, like a suppressed cell, but it is never reported as suppressed.
/// </param>
/// <param name="Protectable">
/// False for cells that are always published (national figures): they are never suppressed, even when small.
/// </param>
/// <param name="Margins">Every additive relation published alongside the table.</param>
public sealed record DisclosureTable(IReadOnlyList<long?> Values, IReadOnlyList<bool> Protectable, IReadOnlyList<Margin> Margins);

/// <summary>Settings of <see cref="DisclosureControl"/>.</summary>
public sealed class DisclosureOptions
{
    /// <summary>
    /// The threshold k of the frequency rule: a protectable count from 1 to k-1 is suppressed.
    /// Zero is not suppressed by this rule: an empty cell describes nobody.
    /// </summary>
    public int Threshold { get; set; } = 5;
}
