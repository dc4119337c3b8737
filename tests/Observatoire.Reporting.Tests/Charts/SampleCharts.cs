using Observatoire.Reporting.Charts;

namespace Observatoire.Reporting.Tests.Charts;

/// <summary>Realistic sample charts (made-up figures, real labels and places), deterministic.</summary>
internal static class SampleCharts
{
    public const string Period2025 = "année 2025 (janvier à décembre)";

    public static readonly string[] Months =
        ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];

    private static PublishedNumber N(double v, bool partial = false) => new(v, null, partial);

    private static PublishedNumber Secret(string flag = "A") => new(null, flag);

    private static PublishedNumber NotAvailable(string flag = "ND") => new(null, flag);

    public static TimeSeriesChart TimeSeries()
    {
        double[] current = [1184, 1102, 0, 1275, 1321, 1288, 1197, 1040, 1342, 1410, 1386, 1254];
        double[] previous = [1093, 1050, 1166, 1190, 1247, 1203, 1121, 988, 1265, 1318, 1297, 1172];
        var points = current.Select((v, i) => new SeriesPoint(
                $"{Months[i]} 2025",
                i switch
                {
                    2 => Secret("D"),
                    11 => N(v, partial: true),
                    _ => N(v),
                }))
            .ToList();
        var prev = previous.Select((v, i) => new SeriesPoint($"{Months[i]} 2024", i == 7 ? Secret() : N(v))).ToList();
        return new TimeSeriesChart(
            new ChartFrame("Personnes reçues par les ISCG, par mois", Period2025, 1000, 560, "France entière, personnes nouvellement reçues"),
            "Personnes reçues (2025)",
            "personnes",
            points,
            prev,
            new TrendInfo(14.6, 1131.4, 2.3, 26.9));
    }

    public static TimeSeriesChart TwoYears()
    {
        var points = Enumerable.Range(0, 24)
            .Select(i => new SeriesPoint($"{Months[i % 12]} {2024 + (i / 12)}", i == 15 ? NotAvailable() : N(38.5 + (i * 0.42) + (3 * Math.Sin(i / 2.0)))))
            .ToList();
        return new TimeSeriesChart(
            new ChartFrame("Part des personnes orientées vers un partenaire, par mois", "janvier 2024 à décembre 2025", 1000, 520),
            "Personnes orientées",
            "%",
            points,
            null,
            new TrendInfo(0.4183, 38.61, 0.3102, 0.5264));
    }

    public static TimeSeriesChart QuarterlySeries() =>
        new(
            new ChartFrame("Interventions des ISCG par trimestre", "2024-T1 à 2025-T4", 800, 450),
            "Interventions",
            "interventions",
            [
                new("2025-T1", N(12.5)), new("2025-T2", N(1234.5)), new("2025-T3", NotAvailable()), new("2025-T4", N(1500, true)),
            ],
            null,
            null);

    public static RankingChart RegionRanking()
    {
        var regions = Departements.All
            .GroupBy(d => (d.Region, d.RegionName))
            .Select(g => (g.Key.Region, g.Key.RegionName, Population: g.Sum(d => d.Population)))
            .ToList();
        var rng = new Random(42);
        var rows = regions.Select(r =>
        {
            var rate = 35 + (rng.NextDouble() * 60);
            var count = Math.Round(r.Population * rate / 100_000);
            return r.Region switch
            {
                "06" => new RankingRow(r.Region, r.RegionName, Secret(), Secret("D")),
                "03" => new RankingRow(r.Region, r.RegionName, NotAvailable("NC"), NotAvailable("NC")),
                "94" => new RankingRow(r.Region, r.RegionName, N(count, partial: true), N(Math.Round(rate, 1), partial: true)),
                _ => new RankingRow(r.Region, r.RegionName, N(count), N(Math.Round(rate, 1))),
            };
        }).ToList();
        return new RankingChart(
            new ChartFrame("Personnes reçues par région", Period2025, 1100, 620),
            "Personnes reçues par les ISCG",
            "personnes",
            rows);
    }

    public static BreakdownChart Problematiques() =>
        new(
            new ChartFrame("Problématiques rencontrées par les personnes reçues", Period2025, 1000, 560, "Plusieurs problématiques possibles par personne"),
            "réponses",
            [
                new("Violences conjugales", N(8421)),
                new("Violences intrafamiliales (hors conjugales)", N(3190)),
                new("Accès au droit et justice (avocat, CIDFF, MJD)", N(2877)),
                new("Difficultés éducatives et parentalité", N(2105)),
                new("Santé mentale, souffrance psychique", N(1712)),
                new("Logement, hébergement", N(1544, partial: true)),
                new("Addictions", N(902)),
                new("Difficultés financières", N(856)),
                new("Isolement social", N(611)),
                new("Conflits de voisinage", N(388)),
                new("Traite des êtres humains", Secret()),
                new("Autre problématique", N(1020)),
            ],
            N(23626),
            true);

    public static BreakdownChart Statut() =>
        new(
            new ChartFrame("Statut des personnes reçues", Period2025, 900, 420),
            "personnes",
            [
                new("Victime", N(12480)),
                new("Mis en cause", N(2210)),
                new("Témoin", N(418)),
                new("Tiers ou proche", Secret("D")),
                new("Non renseigné", N(1234)),
            ],
            N(16654),
            false);

    public static BreakdownChart Orientations() =>
        new(
            new ChartFrame("Orientations proposées", Period2025, 1000, 520),
            "orientations",
            [
                new("Services sociaux départementaux (MDS, CCAS)", N(5240)),
                new("Association d'aide aux victimes (France Victimes)", N(3876)),
                new("Centre d'information sur les droits des femmes et des familles (CIDFF)", N(2310)),
                new("Hébergement d'urgence (115, SIAO)", N(1188)),
                new("Soins : centre médico-psychologique, médecin", N(964)),
                new("Avocat, maison de justice et du droit", N(702)),
                new("Autre orientation", NotAvailable()),
            ],
            Secret(),
            true);

    public static PyramidChart Pyramid() =>
        new(
            new ChartFrame("Personnes reçues par sexe et âge", Period2025, 900, 560),
            ["Moins de 18 ans", "18-24 ans", "25-34 ans", "35-44 ans", "45-54 ans", "55-64 ans", "65-74 ans", "75 ans ou plus"],
            [N(612), N(1540), N(3288), N(3012), N(1987), N(921), N(402), N(233, partial: true)],
            [N(410), N(633), N(1104), N(1231), N(874), N(402), N(151), Secret()],
            N(87));

    public static CompletenessHeatmap Heatmap(bool allDepartments)
    {
        var rng = new Random(7);
        var departments = allDepartments
            ? Departements.All
            : Departements.All.Where(d => d.Region == "76").ToArray();
        var rows = departments.Select(d => $"{d.Code} {d.Name}").ToList();
        var cells = departments.Select((d, r) => (IReadOnlyList<CompletenessCell>)Enumerable.Range(0, 12).Select(m =>
        {
            var expected = d.Code == "976" && m < 4 ? 0 : 1 + (d.Population / 400_000);
            if (expected == 0)
            {
                return new CompletenessCell(0, 0, 0, 0);
            }

            if (m == 11 && r % 3 == 0)
            {
                return new CompletenessCell(expected, expected - 1, 0, 0); // pending
            }

            var p = rng.NextDouble();
            return p switch
            {
                < 0.06 => new CompletenessCell(expected, expected - 1, 0, 1),
                < 0.18 => new CompletenessCell(expected, expected - 1, 1, 0),
                _ => new CompletenessCell(expected, expected, 0, 0),
            };
        }).ToList()).ToList();
        return new CompletenessHeatmap(
            new ChartFrame(
                allDepartments ? "Complétude des grilles mensuelles, par département" : "Complétude des grilles mensuelles, départements d'Occitanie",
                Period2025,
                1000,
                allDepartments ? 1900 : 560),
            rows,
            Months,
            cells);
    }

    public static FranceMap Map()
    {
        var rng = new Random(3);
        var marks = Departements.All.Select(d =>
        {
            var rate = 20 + (rng.NextDouble() * 90);
            var value = d.Code switch
            {
                "48" or "23" => Secret(),
                "976" => NotAvailable(),
                "2A" => N(Math.Round(rate, 1), partial: true),
                _ => N(Math.Round(rate, 1)),
            };
            return new MapMark(d.Code, d.Name, d.Latitude, d.Longitude, value);
        }).ToList();
        return new FranceMap(
            new ChartFrame("Personnes reçues pour 100 000 habitants, par département", Period2025, 1000, 800),
            "Personnes reçues pour 100 000 habitants",
            marks);
    }

    /// <summary>Every sample, with a file name.</summary>
    public static IEnumerable<(string Name, Chart Chart)> All() =>
    [
        ("serie-mensuelle", TimeSeries()),
        ("serie-trimestrielle", QuarterlySeries()),
        ("serie-24-mois", TwoYears()),
        ("classement-regions", RegionRanking()),
        ("problematiques", Problematiques()),
        ("statut", Statut()),
        ("orientations", Orientations()),
        ("pyramide", Pyramid()),
        ("completude-occitanie", Heatmap(false)),
        ("completude-france", Heatmap(true)),
        ("carte", Map()),
        ("completude-france-compacte", Heatmap(true) with { Frame = new ChartFrame("Complétude des grilles, tous départements (format réduit)", Period2025, 1000, 600) }),
        ("carte-paysage", Map() with { Frame = new ChartFrame("Personnes reçues pour 100 000 habitants (format paysage)", Period2025, 1000, 560) }),
    ];
}
