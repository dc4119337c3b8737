using System.Globalization;
using Observatoire.Reporting.Document;
using SkiaSharp;

namespace Observatoire.Reporting.Tests.Document;

/// <summary>A realistic annual report: key figures, a chart, a table of the 101 departments, notes.</summary>
internal static class SampleReport
{
    public const string Title = "Rapport annuel 2025 de l’Observatoire national des ISCG";
    public const string Publisher = "Observatoire national de l’intervention sociale en commissariat et gendarmerie";

    /// <summary>Code, name and region of the 101 departments.</summary>
    public static readonly (string Code, string Name, string Region)[] Departments =
    [
        ("01", "Ain", "Auvergne-Rhône-Alpes"), ("02", "Aisne", "Hauts-de-France"), ("03", "Allier", "Auvergne-Rhône-Alpes"),
        ("04", "Alpes-de-Haute-Provence", "Provence-Alpes-Côte d’Azur"), ("05", "Hautes-Alpes", "Provence-Alpes-Côte d’Azur"),
        ("06", "Alpes-Maritimes", "Provence-Alpes-Côte d’Azur"), ("07", "Ardèche", "Auvergne-Rhône-Alpes"), ("08", "Ardennes", "Grand Est"),
        ("09", "Ariège", "Occitanie"), ("10", "Aube", "Grand Est"), ("11", "Aude", "Occitanie"), ("12", "Aveyron", "Occitanie"),
        ("13", "Bouches-du-Rhône", "Provence-Alpes-Côte d’Azur"), ("14", "Calvados", "Normandie"), ("15", "Cantal", "Auvergne-Rhône-Alpes"),
        ("16", "Charente", "Nouvelle-Aquitaine"), ("17", "Charente-Maritime", "Nouvelle-Aquitaine"), ("18", "Cher", "Centre-Val de Loire"),
        ("19", "Corrèze", "Nouvelle-Aquitaine"), ("2A", "Corse-du-Sud", "Corse"), ("2B", "Haute-Corse", "Corse"),
        ("21", "Côte-d’Or", "Bourgogne-Franche-Comté"), ("22", "Côtes-d’Armor", "Bretagne"), ("23", "Creuse", "Nouvelle-Aquitaine"),
        ("24", "Dordogne", "Nouvelle-Aquitaine"), ("25", "Doubs", "Bourgogne-Franche-Comté"), ("26", "Drôme", "Auvergne-Rhône-Alpes"),
        ("27", "Eure", "Normandie"), ("28", "Eure-et-Loir", "Centre-Val de Loire"), ("29", "Finistère", "Bretagne"), ("30", "Gard", "Occitanie"),
        ("31", "Haute-Garonne", "Occitanie"), ("32", "Gers", "Occitanie"), ("33", "Gironde", "Nouvelle-Aquitaine"), ("34", "Hérault", "Occitanie"),
        ("35", "Ille-et-Vilaine", "Bretagne"), ("36", "Indre", "Centre-Val de Loire"), ("37", "Indre-et-Loire", "Centre-Val de Loire"),
        ("38", "Isère", "Auvergne-Rhône-Alpes"), ("39", "Jura", "Bourgogne-Franche-Comté"), ("40", "Landes", "Nouvelle-Aquitaine"),
        ("41", "Loir-et-Cher", "Centre-Val de Loire"), ("42", "Loire", "Auvergne-Rhône-Alpes"), ("43", "Haute-Loire", "Auvergne-Rhône-Alpes"),
        ("44", "Loire-Atlantique", "Pays de la Loire"), ("45", "Loiret", "Centre-Val de Loire"), ("46", "Lot", "Occitanie"),
        ("47", "Lot-et-Garonne", "Nouvelle-Aquitaine"), ("48", "Lozère", "Occitanie"), ("49", "Maine-et-Loire", "Pays de la Loire"),
        ("50", "Manche", "Normandie"), ("51", "Marne", "Grand Est"), ("52", "Haute-Marne", "Grand Est"), ("53", "Mayenne", "Pays de la Loire"),
        ("54", "Meurthe-et-Moselle", "Grand Est"), ("55", "Meuse", "Grand Est"), ("56", "Morbihan", "Bretagne"), ("57", "Moselle", "Grand Est"),
        ("58", "Nièvre", "Bourgogne-Franche-Comté"), ("59", "Nord", "Hauts-de-France"), ("60", "Oise", "Hauts-de-France"), ("61", "Orne", "Normandie"),
        ("62", "Pas-de-Calais", "Hauts-de-France"), ("63", "Puy-de-Dôme", "Auvergne-Rhône-Alpes"), ("64", "Pyrénées-Atlantiques", "Nouvelle-Aquitaine"),
        ("65", "Hautes-Pyrénées", "Occitanie"), ("66", "Pyrénées-Orientales", "Occitanie"), ("67", "Bas-Rhin", "Grand Est"), ("68", "Haut-Rhin", "Grand Est"),
        ("69", "Rhône", "Auvergne-Rhône-Alpes"), ("70", "Haute-Saône", "Bourgogne-Franche-Comté"), ("71", "Saône-et-Loire", "Bourgogne-Franche-Comté"),
        ("72", "Sarthe", "Pays de la Loire"), ("73", "Savoie", "Auvergne-Rhône-Alpes"), ("74", "Haute-Savoie", "Auvergne-Rhône-Alpes"),
        ("75", "Paris", "Île-de-France"), ("76", "Seine-Maritime", "Normandie"), ("77", "Seine-et-Marne", "Île-de-France"), ("78", "Yvelines", "Île-de-France"),
        ("79", "Deux-Sèvres", "Nouvelle-Aquitaine"), ("80", "Somme", "Hauts-de-France"), ("81", "Tarn", "Occitanie"), ("82", "Tarn-et-Garonne", "Occitanie"),
        ("83", "Var", "Provence-Alpes-Côte d’Azur"), ("84", "Vaucluse", "Provence-Alpes-Côte d’Azur"), ("85", "Vendée", "Pays de la Loire"),
        ("86", "Vienne", "Nouvelle-Aquitaine"), ("87", "Haute-Vienne", "Nouvelle-Aquitaine"), ("88", "Vosges", "Grand Est"), ("89", "Yonne", "Bourgogne-Franche-Comté"),
        ("90", "Territoire de Belfort", "Bourgogne-Franche-Comté"), ("91", "Essonne", "Île-de-France"), ("92", "Hauts-de-Seine", "Île-de-France"),
        ("93", "Seine-Saint-Denis", "Île-de-France"), ("94", "Val-de-Marne", "Île-de-France"), ("95", "Val-d’Oise", "Île-de-France"),
        ("971", "Guadeloupe", "Guadeloupe"), ("972", "Martinique", "Martinique"), ("973", "Guyane", "Guyane"), ("974", "La Réunion", "La Réunion"),
        ("976", "Mayotte", "Mayotte"),
    ];

    private static readonly CultureInfo French = CreateFrench();

    /// <summary>French number format: narrow no-break space between thousands, decimal comma.</summary>
    public static string Number(double value, int decimals = 0) =>
        value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), French);

    public static TableBlock DepartmentTable()
    {
        var random = new Random(2025);
        var rows = Departments.Select(d =>
        {
            var posts = random.Next(1, 14);
            var people = posts * random.Next(180, 420);
            var rate = people / (double)random.Next(150_000, 2_600_000) * 100_000;
            var change = random.NextDouble() * 24 - 8;
            IReadOnlyList<string> row =
            [
                d.Code, d.Name, d.Region, Number(posts),
                posts < 2 ? "s" : Number(people),
                posts < 2 ? "s" : Number(rate, 1),
                (change >= 0 ? "+" : "\u2212") + Number(Math.Abs(change), 1) + "\u00A0%",
            ];
            return row;
        }).ToList();
        return new TableBlock(
            "Tableau 3 – Activité des ISCG par département en 2025",
            ["Code", "Département", "Région", "Postes d’ISCG", "Personnes reçues", "Taux pour 100\u202F000 hab.", "Évolution sur un an"],
            rows,
            [ColumnAlignment.Center, ColumnAlignment.Left, ColumnAlignment.Left, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right],
            "s : valeur couverte par le secret statistique (moins de 11 personnes ou un seul poste). Population : recensement au 1er janvier 2022 (Insee). " +
            "Source : Observatoire national des ISCG, grilles statistiques transmises par les postes.");
    }

    public static ChartBlock MonthlyChart() => new(
        "Graphique 1 – Personnes reçues par mois en 2025, comparées à 2024",
        0.5f,
        DrawMonthlyBars,
        Alternative("Personnes reçues par mois en 2025"));

    /// <summary>A short alternative for a test chart: one sentence and a two-row table.</summary>
    public static ChartAlternative Alternative(string title) => new(
        title,
        $"Barres de « {title} » : douze mois, le plus haut en mars.",
        ["Mois", "Personnes reçues"],
        [["janvier", "3\u202F912"], ["février", "4\u202F018"]]);

    public static ReportDocument Build()
    {
        var lorem =
            "Les intervenants sociaux en commissariat et en gendarmerie (ISCG) accueillent les personnes en situation de détresse " +
            "sociale repérées par les forces de l’ordre : victimes de violences conjugales, mineurs en danger, personnes âgées isolées, " +
            "familles en grande précarité. Leur action se situe à l’interface du champ judiciaire et du champ social ; elle permet une " +
            "orientation rapide vers les services compétents et l’accès au droit des personnes les plus éloignées des institutions.";
        return new ReportDocument(
            Title,
            "Activité des intervenants sociaux en commissariat et en gendarmerie — données de l’année 2025",
            Publisher,
            new DateOnly(2026, 11, 16),
            [
                new ReportSection("Synthèse", 1,
                [
                    new ParagraphBlock(
                        "En 2025, les 412 postes d’ISCG ont reçu 48\u202F512 personnes, soit une hausse de 6,3\u00A0% sur un an. Cette progression " +
                        "s’explique principalement par l’ouverture de 27 nouveaux postes, dont 9 en Île-de-France, et par la montée en charge des postes " +
                        "créés en 2024. Les violences intrafamiliales restent la première problématique rencontrée : elles concernent plus de la moitié " +
                        "des situations accompagnées."),
                    new KeyFiguresBlock(
                    [
                        new KeyFigure("Personnes reçues", "48\u202F512", "+6,3\u00A0% sur un an", "Données provisoires"),
                        new KeyFigure("Postes d’ISCG en activité", "412", "+27 postes"),
                        new KeyFigure("Départements couverts", "98 sur 101", "+2 départements"),
                        new KeyFigure("Part des femmes parmi les personnes reçues", "71,4\u00A0%", "−0,8 point"),
                    ]),
                    new ParagraphBlock(lorem),
                    new ParagraphBlock(
                        "Le présent rapport s’appuie sur les grilles statistiques transmises chaque trimestre par les postes. Les problématiques, " +
                        "l’accès au droit et les orientations sont décrits dans les chapitres suivants ; les données départementales figurent en fin de document."),
                ]),
                new ReportSection("Méthodologie", 1,
                [
                    new ParagraphBlock(
                        "Chaque poste d’ISCG renseigne une grille statistique commune, définie par le schéma ministériel 2025.1. Les grilles sont contrôlées " +
                        "à la réception (règles de cohérence, complétude) puis consolidées par département, par région et au niveau national."),
                ]),
                new ReportSection("Sources et périmètre", 2,
                [
                    new ParagraphBlock(lorem),
                    new ParagraphBlock(
                        "Le périmètre couvre l’ensemble des postes en activité au 31 décembre 2025, y compris les postes partagés entre une circonscription " +
                        "de sécurité publique et une compagnie de gendarmerie. Les postes ouverts en cours d’année ne sont comptés qu’à partir de leur date d’ouverture."),
                ]),
                new ReportSection("Secret statistique", 2,
                [
                    new ParagraphBlock(
                        "Aucune valeur portant sur moins de 11 personnes n’est publiée. Lorsqu’un département ne compte qu’un poste, ses effectifs sont masqués " +
                        "afin de ne pas permettre l’identification indirecte des personnes accompagnées."),
                    new NoteBlock(
                        "Note : les valeurs masquées sont signalées par « s ». Les totaux nationaux et régionaux incluent les valeurs masquées ; ils ne peuvent " +
                        "donc pas être reconstitués par simple addition des valeurs départementales publiées."),
                ]),
                new ReportSection("Activité des intervenants", 1,
                [
                    new ParagraphBlock(lorem),
                ]),
                new ReportSection("Évolution mensuelle", 2,
                [
                    new ParagraphBlock(
                        "L’activité suit un profil saisonnier marqué : elle fléchit en août et en décembre, périodes de congés, et culmine au printemps. " +
                        "Le graphique ci-dessous compare les personnes reçues chaque mois en 2025 à celles de 2024."),
                    MonthlyChart(),
                    new ParagraphBlock(
                        "La hausse est générale : onze mois sur douze dépassent le niveau de l’année précédente. Seul le mois d’août est en léger recul."),
                ]),
                new ReportSection("Problématiques rencontrées", 2,
                [
                    new ParagraphBlock(
                        "Une même situation peut relever de plusieurs problématiques ; les pourcentages sont calculés sur l’ensemble des situations et leur " +
                        "somme dépasse donc 100\u00A0%."),
                    new TableBlock(
                        "Tableau 1 – Problématiques des situations accompagnées en 2025",
                        ["Problématique", "Situations", "Part (%)", "Évolution sur un an"],
                        [
                            ["Violences conjugales", Number(21_874), "45,1", "+7,9\u00A0%"],
                            ["Violences intrafamiliales (hors conjugales)", Number(6_512), "13,4", "+4,2\u00A0%"],
                            ["Mineurs en danger ou en risque de l’être", Number(5_903), "12,2", "+3,1\u00A0%"],
                            ["Conflits familiaux et de voisinage", Number(5_120), "10,6", "−1,4\u00A0%"],
                            ["Précarité, difficultés de logement", Number(4_388), "9,0", "+11,5\u00A0%"],
                            ["Troubles psychiques, addictions", Number(3_017), "6,2", "+2,0\u00A0%"],
                            ["Personnes âgées ou vulnérables isolées", Number(1_698), "3,5", "+0,6\u00A0%"],
                        ],
                        [ColumnAlignment.Left, ColumnAlignment.Right, ColumnAlignment.Right, ColumnAlignment.Right],
                        "Champ : situations ouvertes en 2025. Source : Observatoire national des ISCG."),
                    new ParagraphBlock(lorem),
                ]),
                new ReportSection("Accès au droit", 1,
                [
                    new ParagraphBlock(
                        "L’accès au droit recouvre l’information des personnes sur leurs droits, l’aide aux démarches (dépôt de plainte, ordonnance de " +
                        "protection, demande de logement) et l’orientation vers les associations d’aide aux victimes. En 2025, 62\u00A0% des personnes " +
                        "reçues ont bénéficié d’au moins une action d’accès au droit."),
                    new KeyFiguresBlock(
                    [
                        new KeyFigure("Orientations vers une association d’aide aux victimes", "17\u202F236", "+9,1\u00A0% sur un an"),
                        new KeyFigure("Accompagnements au dépôt de plainte", "8\u202F904", "+5,6\u00A0% sur un an"),
                        new KeyFigure("Demandes d’ordonnance de protection", "1\u202F127", "+14,0\u00A0% sur un an"),
                    ]),
                    new ParagraphBlock(lorem),
                    new TableBlock(
                        "Tableau 2 – Orientations par service destinataire",
                        ["Service", "Orientations", "Part (%)"],
                        [
                            ["Services sociaux départementaux", Number(12_004), "34,9"],
                            ["Associations d’aide aux victimes", Number(17_236), "50,1"],
                            ["Centres communaux d’action sociale", Number(3_512), "10,2"],
                            ["Autres (santé, logement, justice)", Number(1_650), "4,8"],
                        ],
                        [ColumnAlignment.Left, ColumnAlignment.Right, ColumnAlignment.Right]),
                ]),
                new ReportSection("Données départementales", 1,
                [
                    new ParagraphBlock(
                        "Le tableau suivant présente, pour chacun des 101 départements, le nombre de postes, les personnes reçues et le taux rapporté à la " +
                        "population. Les départements d’outre-mer figurent en fin de tableau."),
                    DepartmentTable(),
                ]),
                new ReportSection("Annexes", 1,
                [
                    new ParagraphBlock("Les annexes rassemblent les définitions utilisées dans ce rapport et la liste des sigles."),
                ]),
                new ReportSection("Glossaire", 2,
                [
                    new ParagraphBlock(
                        "Personne reçue : personne ayant bénéficié d’au moins un entretien avec l’ISCG au cours de l’année. Une personne reçue plusieurs fois " +
                        "n’est comptée qu’une fois par poste."),
                    new ParagraphBlock(
                        "Situation : ensemble des faits ayant motivé l’intervention ; une personne peut relever de plusieurs situations au cours de l’année."),
                ]),
                new ReportSection("Liste des sigles", 2,
                [
                    new TableBlock(null, ["Sigle", "Signification"],
                    [
                        ["ISCG", "Intervenant social en commissariat et gendarmerie"],
                        ["CCAS", "Centre communal d’action sociale"],
                        ["VIF", "Violences intrafamiliales"],
                        ["Insee", "Institut national de la statistique et des études économiques"],
                    ]),
                ]),
            ]);
    }

    private static void DrawMonthlyBars(SKCanvas canvas, SKRect rect)
    {
        string[] months = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
        double[] current = [3910, 4102, 4488, 4390, 4215, 4170, 3804, 3012, 4025, 4360, 4115, 3921];
        double[] previous = [3620, 3840, 4211, 4160, 3990, 3985, 3602, 3110, 3802, 4105, 3890, 3650];
        using var typeface = SKFontManager.Default.MatchFamily("DejaVu Sans");
        using var font = new SKFont(typeface, 8);
        using var text = new SKPaint { Color = new SKColor(0x3A, 0x3A, 0x3A), IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(0xDD, 0xDD, 0xDD), StrokeWidth = 0.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var bar = new SKPaint { Color = new SKColor(0x00, 0x00, 0x91), IsAntialias = true };
        using var line = new SKPaint { Color = new SKColor(0xE1, 0x00, 0x0F), StrokeWidth = 1.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };

        var plot = new SKRect(rect.Left + 38, rect.Top + 22, rect.Right - 8, rect.Bottom - 34);
        const double max = 5000;
        for (var v = 0; v <= max; v += 1000)
        {
            var y = (float)(plot.Bottom - v / max * plot.Height);
            canvas.DrawLine(plot.Left, y, plot.Right, y, grid);
            canvas.DrawText(Number(v), plot.Left - 5, y + 3, SKTextAlign.Right, font, text);
        }

        var slot = plot.Width / months.Length;
        var points = new SKPoint[months.Length];
        for (var i = 0; i < months.Length; i++)
        {
            var x = plot.Left + i * slot;
            var top = (float)(plot.Bottom - current[i] / max * plot.Height);
            canvas.DrawRect(x + slot * 0.2f, top, slot * 0.6f, plot.Bottom - top, bar);
            canvas.DrawText(months[i], x + slot / 2, plot.Bottom + 12, SKTextAlign.Center, font, text);
            points[i] = new SKPoint(x + slot / 2, (float)(plot.Bottom - previous[i] / max * plot.Height));
        }

        canvas.DrawPoints(SKPointMode.Polygon, points, line);
        canvas.DrawRect(rect.Left + 40, rect.Top + 6, 10, 8, bar);
        canvas.DrawText("2025", rect.Left + 54, rect.Top + 13, SKTextAlign.Left, font, text);
        canvas.DrawLine(rect.Left + 90, rect.Top + 10, rect.Left + 104, rect.Top + 10, line);
        canvas.DrawText("2024", rect.Left + 108, rect.Top + 13, SKTextAlign.Left, font, text);
        canvas.DrawText("Source : Observatoire national des ISCG, grilles statistiques 2024 et 2025", rect.Left + 2, rect.Bottom - 6, SKTextAlign.Left, font, text);
    }

    private static CultureInfo CreateFrench()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberGroupSeparator = "\u202F";
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSizes = [3];
        return culture;
    }
}
