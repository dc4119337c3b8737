using MathNet.Numerics.LinearAlgebra;
using Observatoire.Core.Disclosure;

namespace Observatoire.Core.Tests.Disclosure;

/// <summary>
/// An attacker written independently of the production elimination: floating-point SVD from MathNet.
/// It knows every published cell and every margin, and solves for the hidden cells.
/// </summary>
internal static class Attacker
{
    /// <summary>
    /// For each cell: whether it is hidden and yet the published cells and margins give its value.
    /// A hidden cell x_i is recovered exactly when every null-space vector of the margin equations,
    /// restricted to the hidden columns, is zero at i, i.e. when the squared norm of the projection of e_i
    /// on that null space (spanned by the last right singular vectors) is zero.
    /// </summary>
    public static bool[] Recovered(DisclosureTable table, IReadOnlyList<bool> hidden)
    {
        var n = table.Values.Count;
        var columnOf = new int[n];
        var hiddenCells = new List<int>();
        for (var i = 0; i < n; i++)
        {
            columnOf[i] = hidden[i] ? hiddenCells.Count : -1;
            if (hidden[i])
            {
                hiddenCells.Add(i);
            }
        }

        var rows = new List<double[]>();
        foreach (var margin in table.Margins)
        {
            var row = new double[hiddenCells.Count];
            if (columnOf[margin.Total] >= 0)
            {
                row[columnOf[margin.Total]] += 1;
            }

            foreach (var part in margin.Parts)
            {
                if (columnOf[part] >= 0)
                {
                    row[columnOf[part]] -= 1;
                }
            }

            if (row.Any(x => x != 0))
            {
                rows.Add(row);
            }
        }

        var recovered = new bool[n];
        if (hiddenCells.Count == 0 || rows.Count == 0)
        {
            return recovered;
        }

        var a = Matrix<double>.Build.DenseOfRowArrays(rows);
        var svd = a.Svd(computeVectors: true);
        var singular = svd.S;
        var tolerance = 1e-9 * Math.Max(1.0, singular[0]);
        var rank = singular.Count(s => s > tolerance);
        var vt = svd.VT;
        for (var c = 0; c < hiddenCells.Count; c++)
        {
            double nullSpaceWeight = 0;
            for (var k = rank; k < hiddenCells.Count; k++)
            {
                nullSpaceWeight += vt[k, c] * vt[k, c];
            }

            recovered[hiddenCells[c]] = nullSpaceWeight < 1e-9;
        }

        return recovered;
    }

    /// <summary>
    /// The suppressed cells the attacker recovers, leaving out those that no suppression could protect:
    /// cells recovered even when every protectable and null cell is hidden, i.e. combinations of the
    /// always-published cells.
    /// </summary>
    public static List<int> RecoveredSuppressedCells(DisclosureTable table, CellConfidentiality[] statuses)
    {
        var n = table.Values.Count;
        var hidden = Enumerable.Range(0, n).Select(i => statuses[i] != CellConfidentiality.Free || table.Values[i] is null).ToArray();
        var recovered = Recovered(table, hidden);
        var suppressedAndRecovered = Enumerable.Range(0, n).Where(i => statuses[i] != CellConfidentiality.Free && recovered[i]).ToList();
        if (suppressedAndRecovered.Count == 0)
        {
            return suppressedAndRecovered;
        }

        var revealedByAlwaysPublished = Recovered(table, Enumerable.Range(0, n).Select(i => table.Protectable[i] || table.Values[i] is null).ToArray());
        return suppressedAndRecovered.Where(i => !revealedByAlwaysPublished[i]).ToList();
    }
}
