namespace Observatoire.Reporting.Document.Layout;

/// <summary>
/// The annex the writer adds after the last section when the document has charts: the data of every
/// chart as a table, in the order of the charts' numbers.
/// </summary>
internal static class ChartDataAnnex
{
    public const string Name = "Données des graphiques";

    public const string Title = "Annexe — " + Name;

    /// <summary>The number of each chart (1-based, in reading order); a block repeated keeps its first number.</summary>
    public static Dictionary<ChartBlock, int> Number(IEnumerable<ReportSection> sections)
    {
        var numbers = new Dictionary<ChartBlock, int>(ReferenceEqualityComparer.Instance);
        foreach (var chart in sections.SelectMany(s => s.Blocks).OfType<ChartBlock>())
        {
            numbers.TryAdd(chart, numbers.Count + 1);
        }

        return numbers;
    }

    /// <summary>The annex section, or null when there is no chart.</summary>
    public static ReportSection? Section(IReadOnlyDictionary<ChartBlock, int> numbers)
    {
        if (numbers.Count == 0)
        {
            return null;
        }

        var blocks = new List<ReportBlock>
        {
            new ParagraphBlock(
                "Cette annexe donne, pour chaque graphique du rapport, les données qu'il représente, sous son numéro et son titre. "
                + "Une valeur couverte par le secret statistique est notée « secret », une valeur non disponible « n.d. » ; "
                + "l'astérisque (*) signale un chiffre partiel (grilles manquantes)."),
        };
        foreach (var (chart, number) in numbers.OrderBy(n => n.Value))
        {
            var data = chart.Alternative;
            blocks.Add(new TableBlock($"Graphique {number} — {data.Title}", data.Headers, data.Rows, data.Alignments));
        }

        return new ReportSection(Title, 1, blocks);
    }
}
