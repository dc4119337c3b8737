using System.Globalization;
using Microsoft.Extensions.Options;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Statistics;
using Observatoire.Reporting.Charts;
using Observatoire.Reporting.Document;
using Observatoire.Server.Aggregates;

using static Observatoire.Server.Reports.ReportFormat;

namespace Observatoire.Server.Reports;

/// <summary>
/// Composes the annual report from published figures only (disclosure control applied below the
/// national level): the national summary and charts, a section per region with a page per
/// department, and the methodology annex; or the report of one department.
/// </summary>
internal sealed class AnnualReportBuilder(
    PublishedFigures published,
    ChartBuilder charts,
    IOptions<ConsolidationOptions> options,
    TimeProvider clock)
{
    /// <summary>The same report made from other figures (as of a cut-off): dated at the cut-off, which its annex states.</summary>
    public AnnualReportBuilder At(PublishedFigures figures) => figures == published ? this : new AnnualReportBuilder(figures, charts.At(figures), options, clock);

    private const string Publisher = "Observatoire national des intervenants sociaux en commissariat et gendarmerie";

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>The indicators of the key figures, in the order shown.</summary>
    private static readonly string[] KeyCells =
    [
        "personnes_nouvelles",
        "entretiens",
        "file_active_fin",
        "accompagnements_physiques",
        "informations_preoccupantes",
        "signalements_procureur",
    ];

    public ReportDocument National(int year, IProgress<string>? progress, CancellationToken ct = default)
    {
        var period = Period.OfYear(year);
        var sections = new List<ReportSection>
        {
            NationalSummary(period),
            NationalCharts(period),
        };
        progress?.Report("Synthèse nationale");
        foreach (var region in published.Registry.Regions.Values.OrderBy(r => r.Name, StringComparer.Create(French, false)))
        {
            ct.ThrowIfCancellationRequested();
            var area = new AreaRef(AreaLevel.Region, region.Code);
            sections.Add(RegionSection(area, period));
            foreach (var department in published.Registry.DepartmentsByRegion.GetValueOrDefault(region.Code, []))
            {
                ct.ThrowIfCancellationRequested();
                sections.Add(DepartmentSection(new AreaRef(AreaLevel.Department, department.Code), period, level: 2, detailed: false));
            }

            progress?.Report(region.Name);
        }

        sections.Add(Methodology(period));
        return new ReportDocument(
            $"Rapport annuel {year}",
            "Activité des intervenants sociaux en commissariat et gendarmerie",
            Publisher,
            Today(),
            sections);
    }

    public ReportDocument Department(int year, string code, IProgress<string>? progress)
    {
        var period = Period.OfYear(year);
        var area = new AreaRef(AreaLevel.Department, code);
        var name = published.Registry.NameOf(area);
        var sections = new List<ReportSection> { DepartmentSection(area, period, level: 1, detailed: true) };
        progress?.Report(name);
        sections.Add(Methodology(period));
        return new ReportDocument(
            $"Rapport {year} — {name} ({code})",
            "Activité des intervenants sociaux en commissariat et gendarmerie : rapport au comité départemental de suivi",
            Publisher,
            Today(),
            sections);
    }

    private ReportSection NationalSummary(Period period)
    {
        var nation = AreaRef.National;
        var figures = published.Figures(nation, period);
        var completeness = new CompletenessCalculator(published.Registry, published.Cube, options.Value.DeadlineDays).For(nation, period, Today());
        var population = published.Registry.NationalPopulation;
        var blocks = new List<ReportBlock>
        {
            new ParagraphBlock(
                $"En {period.Year}, {Count(figures.ExpectedPosts)} postes d'intervenants sociaux en commissariat et gendarmerie ont été actifs dans "
                + $"{Count(published.Registry.Departments.Count)} départements, soit {Decimal(Rates.PostsPer150k(figures.ExpectedPosts, population))} poste pour 150 000 habitants "
                + $"(objectif de l'ANISCG : 1, soit {Count((long)Math.Round(Rates.TargetPosts(population)))} postes). Ce rapport consolide les grilles statistiques "
                + $"qu'ils ont transmises : {Count(completeness.Counts.Received)} grilles reçues sur {Count(completeness.Counts.Expected)} attendues "
                + $"({Percent(completeness.Counts.Completeness)}), dont {Percent(completeness.Counts.Timeliness)} dans les délais."),
            KeyFigures(nation, period, figures.ExpectedPosts, completeness.Counts),
            KeyTable(nation, period, "Chiffres clés nationaux"),
        };
        blocks.AddRange(PartialNotes(figures));
        return new ReportSection("Synthèse nationale", 1, blocks);
    }

    private ReportSection NationalCharts(Period period)
    {
        var schema = published.Consolidator.SchemaFor(period);
        var nation = AreaRef.National;
        var nouvelles = schema.Layout.Cells[schema.Layout.IndexOf("personnes_nouvelles")];
        var entretiens = schema.Layout.Cells[schema.Layout.IndexOf("entretiens")];
        var months = period.Split(PeriodKind.Month);
        var blocks = new List<ReportBlock>
        {
            new ParagraphBlock("Les graphiques suivants portent sur l'ensemble des postes. Les chiffres partiels (grilles manquantes) sont signalés par un astérisque ; les effectifs couverts par le secret statistique ne sont jamais représentés comme des zéros."),
            Chart(charts.Series(nation, nouvelles, months[0], months[^1], raw: false, 1000, 560)),
            Chart(charts.Series(nation, entretiens, months[0], months[^1], raw: false, 1000, 560)),
            Chart(charts.Ranking(nation, nouvelles, period, raw: false, 1000, 700)),
        };
        foreach (var (indicator, breakdown) in new[] { ("personnes_recues", "statut"), ("problematiques", "problematique"), ("orientations", "orientation"), ("personnes_nouvelles", "origine") })
        {
            var ind = schema.Indicator(indicator);
            var chart = charts.Breakdown(nation, ind, ind.Breakdowns.Single(b => b.Code == breakdown), period, raw: false, 1000, 620);
            blocks.Add(Chart(chart));
        }

        blocks.Add(Chart(charts.Pyramid(nation, period, raw: false, 1000, 620)));
        blocks.Add(Chart(charts.CoverageMap(period, 1000, 900)));
        blocks.Add(Chart(charts.Map(nouvelles, period, raw: false, 1000, 900)));
        var departments = published.Registry.Departments.Keys.ToList();
        var half = (departments.Count + 1) / 2;
        blocks.Add(Chart(charts.Completeness(nation, period.Year, 1000, 1350, departments.Take(half).ToHashSet())));
        blocks.Add(Chart(charts.Completeness(nation, period.Year, 1000, 1350, departments.Skip(half).ToHashSet())));
        return new ReportSection("L'activité nationale en graphiques", 1, blocks);
    }

    private ReportSection RegionSection(AreaRef region, Period period)
    {
        var schema = published.Consolidator.SchemaFor(period);
        var figures = published.Figures(region, period);
        var completeness = new CompletenessCalculator(published.Registry, published.Cube, options.Value.DeadlineDays).For(region, period, Today());
        var nouvelles = schema.Layout.Cells[schema.Layout.IndexOf("personnes_nouvelles")];
        var entretiens = schema.Layout.Cells[schema.Layout.IndexOf("entretiens")];
        var rows = new List<IReadOnlyList<string>>();
        foreach (var department in published.Registry.DepartmentsByRegion.GetValueOrDefault(region.Code, []))
        {
            var area = new AreaRef(AreaLevel.Department, department.Code);
            var f = published.Figures(area, period);
            var value = charts.Number(area, period, nouvelles, raw: false);
            var dc = completeness.Children.FirstOrDefault(c => c.Child == area).Counts ?? CompletenessCounts.Zero;
            rows.Add(
            [
                $"{department.Code} {department.Name}",
                Show(value),
                value.Value is { } v ? Rate(Rates.Per100k((long)v, department.Population) ?? 0) : "—",
                Show(charts.Number(area, period, entretiens, raw: false)),
                Count(f.ExpectedPosts),
                Decimal(Rates.PostsPer150k(f.ExpectedPosts, department.Population)),
                Percent(dc.Completeness),
            ]);
        }

        var blocks = new List<ReportBlock>
        {
            KeyFigures(region, period, figures.ExpectedPosts, completeness.Counts),
            KeyTable(region, period, $"Chiffres clés — {published.Registry.NameOf(region)}"),
            new TableBlock(
                "Les départements de la région",
                ["Département", "Personnes nouvelles", "Pour 100 000 hab.", "Entretiens", "Postes", "Postes pour 150 000 hab.", "Complétude"],
                rows,
                [ColumnAlignment.Left, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right],
                SecretFootnote),
            Chart(charts.Ranking(region, nouvelles, period, raw: false, 1000, 560)),
        };
        blocks.AddRange(PartialNotes(figures));
        return new ReportSection(published.Registry.NameOf(region), 1, blocks);
    }

    private ReportSection DepartmentSection(AreaRef department, Period period, int level, bool detailed)
    {
        var schema = published.Consolidator.SchemaFor(period);
        var info = published.Registry.Departments[department.Code];
        var figures = published.Figures(department, period);
        var completeness = new CompletenessCalculator(published.Registry, published.Cube, options.Value.DeadlineDays).For(department, period, Today());
        var target = Rates.TargetPosts(info.Population);
        var coverage = Rates.PostsPer150k(figures.ExpectedPosts, info.Population);
        var blocks = new List<ReportBlock>();

        blocks.Add(new ParagraphBlock(
            $"{published.Registry.Regions[info.RegionCode].Name}. Population de référence : {Count(info.Population)} habitants. "
            + $"{Count(figures.ExpectedPosts)} poste(s) d'ISCG actif(s) en {period.Year} ({Decimal(figures.Fte)} ETP), soit {Decimal(coverage)} pour 150 000 habitants : "
            + (coverage >= 1
                ? "l'objectif d'un ISCG pour 150 000 habitants est atteint."
                : $"l'objectif d'un ISCG pour 150 000 habitants supposerait {Decimal(target)} postes.")));
        blocks.Add(KeyFigures(department, period, figures.ExpectedPosts, completeness.Counts));
        blocks.Add(KeyTable(department, period, "Chiffres clés"));
        blocks.Add(BreakdownTable(department, period, schema.Indicator("personnes_nouvelles"), "origine", "Origine de la saisine des personnes nouvelles"));
        var problematiques = schema.Indicator("problematiques");
        blocks.Add(Chart(charts.Breakdown(department, problematiques, problematiques.Breakdowns[0], period, raw: false, 1000, 520)));
        if (detailed)
        {
            var nouvelles = schema.Layout.Cells[schema.Layout.IndexOf("personnes_nouvelles")];

            // Months only when every post reports monthly: a quarterly grid cannot be split into months.
            var kind = completeness.Posts.All(p => p.Post.Frequency == Core.Registry.ReportingFrequency.Month) ? PeriodKind.Month : PeriodKind.Quarter;
            var steps = period.Split(kind);
            blocks.Add(Chart(charts.Series(department, nouvelles, steps[0], steps[^1], raw: false, 1000, 520)));
            var orientations = schema.Indicator("orientations");
            blocks.Add(Chart(charts.Breakdown(department, orientations, orientations.Breakdowns[0], period, raw: false, 1000, 520)));
            blocks.Add(BreakdownTable(department, period, schema.Indicator("personnes_recues"), "statut", "Personnes reçues par statut"));
            blocks.Add(Chart(charts.Completeness(department, period.Year, 1000, Math.Max(300, 120 + 45 * completeness.Posts.Count))));
        }

        blocks.Add(new TableBlock(
            "Remontée des grilles par poste",
            ["Poste", "Attendues", "Reçues", "Dans les délais", "En retard", "Manquantes"],
            [.. completeness.Posts.Select(p => (IReadOnlyList<string>)
            [
                p.Post.Name,
                Count(p.Counts.Expected),
                Count(p.Counts.Received),
                Count(p.Counts.OnTime),
                Count(p.Counts.Late),
                Count(p.Counts.Missing),
            ])],
            [ColumnAlignment.Left, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right],
            $"Une grille est dans les délais lorsqu'elle est reçue au plus tard {options.Value.DeadlineDays} jours après la fin de sa période."));
        blocks.AddRange(PartialNotes(figures));
        return new ReportSection($"{info.Name} ({info.Code})", level, blocks) { StartsNewPage = level > 1 };
    }

    private ReportSection Methodology(Period period)
    {
        var schemas = published.Cube.Count == 0 ? [] : published.Figures(AreaRef.National, period).SchemaVersions.ToList();
        var asOf = published.Figures(AreaRef.National, period).DataAsOf;
        var threshold = options.Value.SuppressionThreshold;
        var range = options.Value.ProtectionRange;
        var flags = options.Value.PublishPrimaryFlag;
        var blocks = new List<ReportBlock>
        {
            new ParagraphBlock($"Sources. Les chiffres proviennent des grilles statistiques transmises par les postes d'ISCG (version{(schemas.Count > 1 ? "s" : "")} de la grille : {(schemas.Count == 0 ? published.Consolidator.SchemaFor(period).Version : string.Join(", ", schemas))}). Chaque grille est contrôlée à sa réception (cohérence des ventilations, bornes, anonymat du commentaire) ; seule la dernière révision de chaque grille est prise en compte. {CutOff(asOf)}"),
            new ParagraphBlock("Consolidation. Les chiffres d'un poste pour une période proviennent de sa grille pour cette période exacte ou, à défaut, des grilles qui la pavent sans recouvrement (les mois d'un trimestre ou d'une année, les trimestres d'une année) : aucune grille n'est comptée deux fois. Les flux (personnes nouvelles, entretiens, orientations, actes) s'additionnent ; la file active est celle de la fin de la dernière sous-période ; les effectifs de personnes distinctes (personnes reçues et leurs ventilations) ne s'additionnent pas d'une période à l'autre et ne sont donnés que pour la période exacte d'une grille. Ceux de l'année viennent du bilan annuel que chaque poste transmet, quelle que soit sa fréquence : ses flux et stocks remplacent alors ceux de ses mois ; un territoire dont certains postes n'ont pas transmis leur bilan a des personnes reçues partielles (*), qui ne comptent pas ces postes. Un poste compte dans le département où il était affecté pendant la plus grande partie de la période."),
            new ParagraphBlock("Personnes reçues par plusieurs postes. D'un poste à l'autre, sur une même période, les effectifs s'additionnent : une personne reçue par deux postes compte deux fois dans les totaux départementaux, régionaux et nationaux. Les répartitions par statut, sexe et âge sur l'année viennent des bilans annuels ; à défaut de tout bilan, elles sont calculées sur le cumul des grilles (une personne reçue plusieurs mois compte chaque mois) : ce sont alors des répartitions, pas des nombres de personnes."),
            new ParagraphBlock($"Complétude. Sont attendues les grilles des postes actifs pour chaque période de leur fréquence de remontée (mois, trimestre ou année) terminée à la date d'édition. Une grille est dans les délais si elle est reçue au plus tard {options.Value.DeadlineDays} jours après la fin de sa période ; un chiffre est dit partiel (*) lorsqu'une grille attendue manque."),
            new ParagraphBlock($"Secret statistique : ce qui est protégé. En dessous du niveau national, tout effectif de 1 à {threshold - 1} est masqué (secret primaire{(flags ? ", noté A" : "")}). D'autres cases sont masquées (secret secondaire{(flags ? ", noté D" : "")}) pour que personne ne puisse resserrer un effectif masqué à moins de {range + 1} valeurs possibles (intervalle de protection de largeur {range}), même en combinant tout ce qui est publié pour l'année : départements, régions et total national ; mois, trimestres et année ; toutes les ventilations et leur total ; les tableaux avec et sans chiffres partiels ; les cumuls de personnes distinctes. Les effectifs masqués n'apparaissent jamais comme des zéros.{(flags ? "" : " Toutes les cases masquées sont notées « secret » sans distinction : rien ne dit si une case masquée est un petit effectif ou un secret secondaire.")}"),
            new ParagraphBlock($"Secret statistique : face à quel lecteur. Le lecteur envisagé connaît tous les chiffres publiés et toutes les relations qui les lient : un total est la somme de ses ventilations, une région celle de ses départements, la nation celle de ses régions, un trimestre celui de ses mois et l'année celle de ses trimestres pour les flux (pour la file active, le trimestre est son dernier mois). Il sait qu'un territoire sans donnée compte pour zéro et qu'un effectif n'est jamais négatif{(flags ? $", et qu'un effectif marqué A est compris entre 1 et {threshold - 1}" : "")} ; là où des postes trimestriels ou annuels ne figurent qu'au niveau du trimestre ou de l'année, il en connaît le signe. Il résout alors, par programmation linéaire, l'effectif minimal et l'effectif maximal compatibles avec tout cela : l'écart entre les deux doit atteindre l'intervalle de protection."),
            new ParagraphBlock("Secret statistique : la méthode. Comme la méthode modulaire HiTaS de τ-Argus, le plan découpe le tableau lié d'un indicateur et d'une année en sous-tableaux (un territoire, son parent et ses voisins ; une période, son parent et ses sœurs ; une ventilation et son total) et les traite du haut vers le bas. Pour chaque case masquée pour petit effectif, il cherche deux déplacements des cases masquées que le lecteur ne peut pas distinguer de la réalité, l'un vers le haut et l'autre vers le bas, d'abord sous forme d'hypercubes (méthode GHMITER), sinon par programmation linéaire (solveur GLOP d'OR-Tools), au moindre coût en information perdue. Chaque déplacement respecte toutes les relations du tableau entier, et non celles d'un seul sous-tableau : un effectif protégé le reste quelles que soient les cases masquées ensuite. Un seul plan vaut pour toutes les vues d'une même année (tableaux, séries, comparaisons, graphiques, rapports)."),
            new ParagraphBlock($"Secret statistique : ce qui n'est pas protégé. Un lecteur qui connaît par ailleurs les chiffres d'un poste (le poste lui-même, un partenaire) ou d'une partie d'un territoire peut en déduire davantage. Quelques effectifs ne peuvent pas atteindre l'intervalle entier ({(flags ? "par exemple un petit trimestre fait de petits mois marqués A, chacun d'au moins 1" : "par exemple un petit effectif que le total national, toujours publié, et les territoires sans donnée encadrent de près")}) : ils restent masqués avec l'intervalle le plus large possible ; certains sont même fixés exactement{(flags ? ", par le total national, toujours publié, ou par les marques A de leurs voisins (une année de 4 faite de quatre trimestres marqués A, chacun d'au moins 1, vaut 4)" : " par le total national, toujours publié")}, et ne peuvent pas être protégés. Le calcul du plan est borné : quelques effectifs qu'un calcul plus long protégerait restent en deçà de l'intervalle. Le lecteur qui raisonne sur des nombres entiers, ou qui déduit qu'une case masquée est soit un petit effectif soit un secret secondaire, n'est pas pris en compte. Les années ne sont pas liées entre elles. Quand des grilles arrivent, les chiffres publiés sont ceux du dernier plan achevé : valeurs et masques d'un même instant, mis à jour dès que le plan suivant est prêt."),
            new ParagraphBlock("Secret statistique : si le plan ne peut pas être calculé. Rien n'est publié sous le niveau national sans plan de secret. Si le calcul du plan d'un indicateur échoue (une erreur imprévue), les chiffres publiés restent ceux du dernier plan achevé s'il en existe un ; sinon, tous les chiffres de l'indicateur sous le niveau national sont retenus (« non publié », code N) jusqu'à ce qu'un nouveau calcul, tenté plus tard ou à l'arrivée de nouvelles grilles, réussisse. Seul le total national reste alors publié : tout plan le publie, puisque le lecteur envisagé le connaît déjà, et il ne révèle donc rien qu'un plan aurait masqué. L'échec est consigné au journal du serveur et compté par ses métriques."),
            new ParagraphBlock("Accessibilité. Ce document déclare sa langue (français) ; ses signets reprennent le sommaire. Chaque graphique est suivi d'une phrase qui décrit ce qu'il montre, et ses données figurent en tableau dans l'annexe « Données des graphiques », sous le numéro du graphique ; une valeur au secret y est notée « secret ». Le texte est du texte réel, que l'on peut rechercher, copier et faire lire. Le document n'est pas balisé (pas d'arborescence de structure) : une synthèse vocale le lit dans l'ordre des pages, sans repérer titres ni tableaux. Les chiffres sont aussi publiés en données ouvertes (CSV, SDMX) et par l'API."),
            new ParagraphBlock("Taux. Les taux pour 100 000 habitants et la couverture (postes pour 150 000 habitants, objectif de l'ANISCG) utilisent la population municipale de référence de l'INSEE. Les évolutions comparent l'année à l'année précédente, sur les mêmes règles ; elles ne sont données que si les deux chiffres sont publiés."),
        };
        return new ReportSection("Annexe méthodologique", 1, blocks);
    }

    /// <summary>
    /// When the figures stop. A report as of a cut-off (an edition) states it: grids and revisions received later do not
    /// count, and the same cut-off gives the same report. Otherwise, the last grid received and the day of printing.
    /// </summary>
    private string CutOff(DateTime? lastReceived)
    {
        if (published.AsOf is { } cutOff)
        {
            return $"Données arrêtées au {Instant(cutOff)} : seules les grilles et leurs révisions reçues jusqu'à cet instant sont prises en compte ; "
                + "celles reçues depuis ne modifient pas ce rapport, qui peut être reproduit à l'identique à partir de cette date d'arrêt.";
        }

        return $"Données arrêtées au {(lastReceived is { } d ? Instant(d) : "jour de l'édition")} ; rapport édité le {Today().ToString("d MMMM yyyy", French)}.";
    }

    private static string Instant(DateTime instant) => instant.ToString("d MMMM yyyy 'à' HH'h'mm", French) + " (UTC)";

    private KeyFiguresBlock KeyFigures(AreaRef area, Period period, int posts, CompletenessCounts completeness)
    {
        var schema = published.Consolidator.SchemaFor(period);
        var list = new List<KeyFigure>();
        foreach (var code in new[] { "personnes_recues", "personnes_nouvelles", "entretiens", "file_active_fin", "informations_preoccupantes" })
        {
            var cell = schema.Layout.Cells[schema.Layout.IndexOf(code)];
            var now = charts.Number(area, period, cell, raw: false);
            var before = charts.Number(area, period.YearEarlier(), cell, raw: false);
            list.Add(new KeyFigure(
                code == "file_active_fin" ? "File active au 31 décembre" : cell.Indicator.Label,
                Show(now),
                ChangeText(now, before)));
        }

        list.Add(new KeyFigure("Postes actifs", Count(posts), null, $"{Decimal(Rates.PostsPer150k(posts, Math.Max(1, published.Registry.PopulationOf(area))))} pour 150 000 hab."));
        list.Add(new KeyFigure("Grilles reçues", Percent(completeness.Completeness), null, $"{Count(completeness.Received)} sur {Count(completeness.Expected)}, {Percent(completeness.Timeliness)} dans les délais"));
        return new KeyFiguresBlock(list);
    }

    private TableBlock KeyTable(AreaRef area, Period period, string caption)
    {
        var schema = published.Consolidator.SchemaFor(period);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var code in KeyCells.Prepend("personnes_recues"))
        {
            var cell = schema.Layout.Cells[schema.Layout.IndexOf(code)];
            var now = charts.Number(area, period, cell, raw: false);
            var before = charts.Number(area, period.YearEarlier(), cell, raw: false);
            var population = published.Registry.PopulationOf(area);
            rows.Add(
            [
                cell.Indicator.Label,
                Show(before),
                Show(now),
                ChangeText(now, before) ?? "—",
                now.Value is { } v && population > 0 ? Rate(Rates.Per100k((long)v, population) ?? 0) : "—",
            ]);
        }

        return new TableBlock(
            caption,
            ["Indicateur", (period.Year - 1).ToString(CultureInfo.InvariantCulture), period.Year.ToString(CultureInfo.InvariantCulture), "Évolution", "Pour 100 000 hab."],
            rows,
            [ColumnAlignment.Left, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right],
            "n.d. : non disponible, ici non dérivable (personnes distinctes, qui ne s'additionnent pas d'un mois à l'autre, sans bilan annuel). " + SecretFootnote);
    }

    private TableBlock BreakdownTable(AreaRef area, Period period, Indicator indicator, string breakdownCode, string caption)
    {
        var schema = published.Consolidator.SchemaFor(period);
        var breakdown = indicator.Breakdowns.Single(b => b.Code == breakdownCode);
        // Distinct persons of the year come from the yearly bilans where they exist; otherwise a cumulated distribution.
        var distinct = indicator.Aggregation == Aggregation.None && published.Figures(area, period).ValueOf(schema.Layout.IndexOf(indicator.Code)) is null
            ? Consolidator.DistinctCounts.Cumulated
            : Consolidator.DistinctCounts.Exact;
        var total = charts.Number(area, period, schema.Layout.Cells[schema.Layout.IndexOf(indicator.Code)], raw: false, distinct);
        var rows = schema.Layout.CellsOf(indicator, breakdown).Select(cell =>
        {
            var value = charts.Number(area, period, cell, raw: false, distinct);
            var share = value.Value is { } v && total.Value is { } t && t > 0 ? Percent(v / t) : "—";
            return (IReadOnlyList<string>)[string.Join(", ", cell.Options.Select(o => o.Label)), Show(value), share];
        }).ToList();
        rows.Add(["Total", Show(total), total.Value is > 0 ? Percent(1) : "—"]);
        return new TableBlock(
            caption,
            ["Catégorie", "Effectif", "Part"],
            rows,
            [ColumnAlignment.Left, ColumnAlignment.Right, ColumnAlignment.Right],
            distinct == Consolidator.DistinctCounts.Cumulated
                ? "Cumul des grilles de l'année : une personne reçue sur plusieurs périodes est comptée à chacune. " + SecretFootnote
                : SecretFootnote);
    }

    private static IEnumerable<ReportBlock> PartialNotes(AreaFigures figures)
    {
        if (figures.Missing.Count > 0 || figures.IncompatiblePosts > 0)
        {
            yield return new NoteBlock($"* Chiffres partiels : {figures.Missing.Count} grille(s) attendue(s) manquante(s) ; les chiffres couvrent les grilles reçues.");
        }

        if (figures.MissingBilans.Count > 0)
        {
            yield return new NoteBlock($"* Personnes reçues dans l'année : bilans annuels de {figures.YearlyBilans} poste(s) ; {figures.MissingBilans.Count} bilan(s) manquant(s), non comptés.");
        }
    }

    // The chart draws its own title, source and period: no caption under it; its description and data come with it.
    private static ChartBlock Chart(Chart chart) =>
        ChartAlternatives.Block(chart);

    /// <summary>The tables' note on secrecy: the A and D flags are explained only where the server publishes them.</summary>
    private string SecretFootnote => options.Value.PublishPrimaryFlag
        ? "secret : effectif masqué par le secret statistique (A : petit effectif ; D : masqué pour qu'un petit effectif ne puisse être recalculé). * chiffre partiel."
        : "secret : effectif masqué par le secret statistique (petit effectif, ou case masquée pour qu'aucun petit effectif ne puisse être recalculé, sans distinction). * chiffre partiel.";

    private static string Rate(double value) => value.ToString("N1", French);


    private DateOnly Today() => published.Today(clock);
}
