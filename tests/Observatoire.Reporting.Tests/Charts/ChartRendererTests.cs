using System.Xml.Linq;
using Observatoire.Reporting.Charts;
using ScottPlot;
using SkiaSharp;
using UglyToad.PdfPig;

namespace Observatoire.Reporting.Tests.Charts;

public sealed class ChartRendererTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public static TheoryData<string> ChartNames()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in SampleCharts.All())
        {
            data.Add(name);
        }

        return data;
    }

    private static Chart Sample(string name) => SampleCharts.All().Single(s => s.Name == name).Chart;

    private static List<string> SvgTexts(string svg) =>
        XDocument.Parse(svg).Descendants(Svg + "text").Select(t => t.Value.Trim()).ToList();

    [Theory]
    [MemberData(nameof(ChartNames))]
    public void Every_chart_kind_renders_a_png_that_decodes_at_the_asked_size(string name)
    {
        var chart = Sample(name);

        var png = ChartRenderer.RenderPng(chart);

        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(chart.Frame.Width, bitmap.Width);
        Assert.Equal(chart.Frame.Height, bitmap.Height);
    }

    [Theory]
    [MemberData(nameof(ChartNames))]
    public void Every_chart_kind_renders_an_svg_that_parses_with_the_asked_width_and_height(string name)
    {
        var chart = Sample(name);

        var svg = ChartRenderer.RenderSvg(chart);

        var root = XDocument.Parse(svg).Root!;
        Assert.Equal("svg", root.Name.LocalName);
        Assert.Equal(chart.Frame.Width.ToString(System.Globalization.CultureInfo.InvariantCulture), root.Attribute("width")?.Value);
        Assert.Equal(chart.Frame.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), root.Attribute("height")?.Value);
        var texts = SvgTexts(svg);
        Assert.Contains(texts, t => t.Contains(chart.Frame.Title, StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("Source :", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_category_shows_secret_and_its_label_but_no_zero_value_or_bar()
    {
        var chart = new BreakdownChart(
            new ChartFrame("Statut des personnes reçues", "année 2025"),
            "personnes",
            [
                new BreakdownRow("Victime", PublishedNumber.Of(1234)),
                new BreakdownRow("Témoin", new PublishedNumber(null, "A")),
                new BreakdownRow("Mis en cause", PublishedNumber.Of(8638)),
            ],
            PublishedNumber.Of(9872),
            MultiValued: false);

        var texts = SvgTexts(ChartRenderer.RenderSvg(chart));

        Assert.Contains("secret", texts);
        Assert.Contains("Témoin", texts);
        Assert.DoesNotContain(texts, t => t.Contains("(0)", StringComparison.Ordinal) || t.StartsWith("0,0", StringComparison.Ordinal));

        // In the plot itself: no bar on the secret row, and the only text there is "secret".
        var figure = ChartRenderer.CreateFigure(chart);
        var plot = Assert.Single(figure.Build(new SKRect(0, 0, 1000, 500))).Plot;
        var rowOfSecret = 0.0; // sorted: Mis en cause, Victime, then the secret row at the bottom
        var bars = plot.GetPlottables<ScottPlot.Plottables.BarPlot>().SelectMany(b => b.Bars).ToList();
        Assert.Equal(2, bars.Count);
        Assert.DoesNotContain(bars, b => Math.Abs(b.Position - rowOfSecret) < 0.01);
        var textsOnRow = plot.GetPlottables<ScottPlot.Plottables.Text>()
            .Where(t => Math.Abs(t.Location.Y - rowOfSecret) < 0.01)
            .Select(t => t.LabelText)
            .ToList();
        Assert.Equal(["secret"], textsOnRow);
    }

    [Fact]
    public void Secret_values_in_a_ranking_and_a_pyramid_are_never_drawn_as_numbers()
    {
        var ranking = new RankingChart(
            new ChartFrame("Classement", "2025"),
            "Personnes reçues",
            "personnes",
            [
                new RankingRow("76", "Occitanie", PublishedNumber.Of(2663), PublishedNumber.Of(45.1)),
                new RankingRow("06", "Mayotte", new PublishedNumber(null, "A"), new PublishedNumber(null, "D")),
            ]);
        var pyramid = new PyramidChart(
            new ChartFrame("Pyramide", "2025"),
            ["Moins de 18 ans", "18 ans ou plus"],
            [PublishedNumber.Of(10), new PublishedNumber(null, "D")],
            [new PublishedNumber(null, "A"), PublishedNumber.Of(20)],
            new PublishedNumber(null, "A"));

        foreach (Chart chart in new Chart[] { ranking, pyramid })
        {
            var placed = ChartRenderer.CreateFigure(chart).Build(new SKRect(0, 0, 1000, 500));
            var bars = placed.SelectMany(p => p.Plot.GetPlottables<ScottPlot.Plottables.BarPlot>()).SelectMany(b => b.Bars).ToList();
            Assert.Equal(2, bars.Count);
            Assert.All(bars, b => Assert.NotEqual(0, b.Value));
            var labels = placed.SelectMany(p => p.Plot.GetPlottables<ScottPlot.Plottables.Text>()).Select(t => t.LabelText).ToList();
            Assert.Equal(2, labels.Count(l => l == "secret"));
            Assert.DoesNotContain("0", labels);
        }

        var pyramidTexts = SvgTexts(ChartRenderer.RenderSvg(pyramid));
        Assert.Contains(pyramidTexts, t => t.StartsWith("Sexe non renseigné", StringComparison.Ordinal) && t.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_point_of_a_series_is_a_gap_marked_secret_not_a_zero_point()
    {
        var chart = SampleCharts.TimeSeries(); // March 2025 (index 2) is secret

        var plot = ChartRenderer.CreateFigure(chart).Build(new SKRect(0, 0, 1000, 500)).Single().Plot;

        var current = plot.GetPlottables<ScottPlot.Plottables.Scatter>().Where(s => s.Color == ColorOf("#0072B2")).ToList();
        Assert.Equal(2, current.Count); // January–February, then April–December
        var xs = current.SelectMany(s => s.Data.GetScatterPoints()).Select(p => p.X).ToList();
        Assert.DoesNotContain(2.0, xs);
        Assert.Equal(11, xs.Count);
        Assert.Contains(plot.GetPlottables<ScottPlot.Plottables.Text>(), t => t.LabelText == "secret" && t.Location.X == 2);
        Assert.Contains("secret", SvgTexts(ChartRenderer.RenderSvg(chart)));
    }

    private static ScottPlot.Color ColorOf(string hex) => ScottPlot.Color.FromHex(hex);

    [Fact]
    public void Numbers_are_written_the_french_way_in_the_svg()
    {
        var chart = new BreakdownChart(
            new ChartFrame("Statut", "année 2025"),
            "personnes",
            [new BreakdownRow("Victime", PublishedNumber.Of(1234)), new BreakdownRow("Autre", PublishedNumber.Of(8638))],
            PublishedNumber.Of(9872),
            MultiValued: false);

        var texts = SvgTexts(ChartRenderer.RenderSvg(chart));

        Assert.Contains("12,5\u202F% (1\u202F234)", texts);
        Assert.Contains(texts, t => t.Contains("9\u202F872", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.EndsWith("\u202F%", StringComparison.Ordinal)); // axis ticks "20 %"
        Assert.DoesNotContain(texts, t => t.Contains("12.5", StringComparison.Ordinal) || t.Contains("1,234", StringComparison.Ordinal));
    }

    [Fact]
    public void Partial_values_carry_a_star_and_the_footnote_says_chiffre_partiel()
    {
        var texts = SvgTexts(ChartRenderer.RenderSvg(SampleCharts.Problematiques()));

        Assert.Contains(texts, t => t.Contains("(1\u202F544*)", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("* chiffre partiel", StringComparison.Ordinal));
    }

    [Fact]
    public void The_map_draws_every_department_by_class_with_secret_ones_hatched_and_the_overseas_ones_in_insets()
    {
        var chart = SampleCharts.Map();
        Assert.Equal(101, chart.Marks.Count);
        File.WriteAllBytes("/tmp/carte.png", ChartRenderer.RenderPng(chart));

        var placed = ChartRenderer.CreateFigure(chart).Build(new SKRect(0, 0, 1000, 700));

        var main = placed[0].Plot;
        var polygons = Assert.Single(main.GetPlottables<DepartmentPolygons>());
        Assert.Equal(96, polygons.Fills.Count);
        Assert.Equal(Observatoire.Reporting.Maps.DepartmentShapes.ByCode.Keys.Order(StringComparer.Ordinal), polygons.Fills.Select(f => f.Code).Order(StringComparer.Ordinal));

        // A secret department is hatched, never coloured as a value; shown ones take one of at most five class colours.
        var secret = polygons.Fills.Single(f => f.Code == "48");
        Assert.True(secret.Hatched);
        var shown = chart.Marks.Where(m => m.Value.Value is not null && Observatoire.Reporting.Maps.DepartmentShapes.ByCode.ContainsKey(m.Code)).Select(m => m.Code).ToHashSet();
        Assert.All(polygons.Fills.Where(f => shown.Contains(f.Code)), f => Assert.False(f.Hatched));
        Assert.InRange(polygons.Fills.Where(f => shown.Contains(f.Code)).Select(f => f.Fill).Distinct().Count(), 2, 5);

        var insets = placed.Skip(1).ToList();
        Assert.Equal(6, insets.Count); // Paris and inner suburbs, then 971, 972, 973, 974, 976
        Assert.Equal(["75", "92", "93", "94"], insets[0].Plot.GetPlottables<DepartmentPolygons>().Single().Fills.Select(f => f.Code).Order(StringComparer.Ordinal));
        var overseas = insets.Skip(1).SelectMany(p => p.Plot.GetPlottables<ScottPlot.Plottables.Marker>()).Select(m => m.LegendText).ToList();
        Assert.Equal(["971", "972", "973", "974", "976"], overseas.Order(StringComparer.Ordinal));

        var svgTexts = SvgTexts(ChartRenderer.RenderSvg(chart));
        foreach (var code in chart.Marks.Select(m => m.Code))
        {
            Assert.Contains(code, svgTexts);
        }

        Assert.Contains("Secret statistique (hachuré)", svgTexts);
        Assert.Contains(svgTexts, t => t.Contains(Observatoire.Reporting.Maps.DepartmentShapes.Attribution, StringComparison.Ordinal));
        foreach (var name in new[] { "Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte" })
        {
            Assert.Contains(name, svgTexts);
        }
    }

    [Fact]
    public void A_map_with_one_published_value_has_that_value_as_its_only_class_never_a_range_around_it()
    {
        // An analyst of one department sees only its own rate: the legend says 374,0, not 373,0 à 374,0.
        var marks = SampleCharts.Map().Marks.Select(m => m with { Value = m.Code == "31" ? PublishedNumber.Of(374) : new PublishedNumber(null) }).ToList();
        var chart = new FranceMap(new ChartFrame("Entretiens pour 100 000 habitants", "2025", 1000, 800), "Entretiens pour 100 000 habitants", marks);

        var main = ChartRenderer.CreateFigure(chart).Build(new SKRect(0, 0, 1000, 700))[0].Plot;

        Assert.Equal(["374", "Non disponible"], main.Legend.ManualItems.Select(i => i.LabelText));
        Assert.DoesNotContain(SvgTexts(ChartRenderer.RenderSvg(chart)), t => t.Contains("373", StringComparison.Ordinal));
    }

    [Fact]
    public void The_pyramid_draws_men_on_the_left_as_its_text_alternative_says()
    {
        var chart = SampleCharts.Pyramid();

        var plot = ChartRenderer.CreateFigure(chart).Build(new SKRect(0, 0, 1000, 700))[0].Plot;

        var men = plot.GetPlottables<ScottPlot.Plottables.Text>().Single(t => t.LabelText == "Hommes");
        var women = plot.GetPlottables<ScottPlot.Plottables.Text>().Single(t => t.LabelText == "Femmes");
        Assert.True(men.Location.X < 0 && women.Location.X > 0);
        Assert.Contains("hommes à gauche, femmes à droite", ChartAlternatives.For(chart).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Draw_paints_only_inside_the_given_rectangle()
    {
        var info = new SKImageInfo(800, 600);
        using var surface = SKSurface.Create(info);
        surface.Canvas.Clear(SKColors.Red);
        var rect = new SKRect(100, 50, 700, 410);

        ChartRenderer.Draw(SampleCharts.Pyramid(), surface.Canvas, rect);

        using var image = surface.Snapshot();
        using var bitmap = SKBitmap.FromImage(image);
        Assert.Equal(SKColors.Red, bitmap.GetPixel(50, 300));
        Assert.Equal(SKColors.Red, bitmap.GetPixel(750, 300));
        Assert.Equal(SKColors.Red, bitmap.GetPixel(400, 20));
        Assert.Equal(SKColors.Red, bitmap.GetPixel(400, 450));
        Assert.Equal(SKColors.White, bitmap.GetPixel(102, 52));
        Assert.Equal(SKColors.White, bitmap.GetPixel(698, 408));
    }

    [Fact]
    public void Draw_into_a_pdf_canvas_keeps_the_text_as_text()
    {
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream))
        {
            var page = document.BeginPage(595, 842);
            var chart = SampleCharts.RegionRanking();
            ChartRenderer.Draw(chart, page, new SKRect(50, 60, 545, 60 + (495 * ChartRenderer.AspectRatio(chart))));
            document.EndPage();
            document.Close();
        }

        using var pdf = PdfDocument.Open(stream.ToArray());
        var text = string.Concat(pdf.GetPage(1).Letters.Select(l => l.Value));
        Assert.Contains("Personnes reçues par région", text, StringComparison.Ordinal);
        Assert.Contains("secret", text, StringComparison.Ordinal);
        Assert.Contains("Île-de-France", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_heat_map_classifies_cells_missing_before_late_before_on_time()
    {
        Assert.Equal(HeatmapFigure.State.NotExpected, HeatmapFigure.StateOf(new CompletenessCell(0, 0, 0, 0)));
        Assert.Equal(HeatmapFigure.State.Missing, HeatmapFigure.StateOf(new CompletenessCell(3, 1, 1, 1)));
        Assert.Equal(HeatmapFigure.State.Late, HeatmapFigure.StateOf(new CompletenessCell(3, 2, 1, 0)));
        Assert.Equal(HeatmapFigure.State.OnTime, HeatmapFigure.StateOf(new CompletenessCell(3, 3, 0, 0)));
        Assert.Equal(HeatmapFigure.State.Pending, HeatmapFigure.StateOf(new CompletenessCell(3, 2, 0, 0)));
    }

    [Fact]
    public void The_heat_map_has_a_legend_and_month_labels_in_french()
    {
        var texts = SvgTexts(ChartRenderer.RenderSvg(SampleCharts.Heatmap(allDepartments: false)));

        Assert.Contains("janv.", texts);
        Assert.Contains("déc.", texts);
        Assert.Contains("Toutes reçues à temps", texts);
        Assert.Contains("Au moins une en retard (hachures)", texts);
        Assert.Contains("Au moins une manquante (×)", texts);
        Assert.Contains("31 Haute-Garonne", texts);
    }

    [Fact]
    public void Empty_or_fully_suppressed_charts_still_render_with_their_frame()
    {
        var frame = new ChartFrame("Vide", "année 2025", 640, 400);
        var secret = new PublishedNumber(null, "A");
        Chart[] charts =
        [
            new TimeSeriesChart(frame, "Personnes", "personnes", [], null, null),
            new TimeSeriesChart(frame, "Personnes", "personnes", [new("janv. 2025", secret), new("févr. 2025", secret)], [new("janv. 2024", secret)], new TrendInfo(0, 0, 0, 0)),
            new RankingChart(frame, "Personnes", "personnes", []),
            new RankingChart(frame, "Personnes", "personnes", [new RankingRow("01", "Ain", secret, secret)]),
            new BreakdownChart(frame, "personnes", [], secret, false),
            new BreakdownChart(frame, "personnes", [new BreakdownRow("Victime", secret)], PublishedNumber.Of(0), false),
            new PyramidChart(frame, [], [], [], secret),
            new CompletenessHeatmap(frame, [], [], []),
            new FranceMap(frame, "Taux", []),
            new FranceMap(frame, "Taux", [new MapMark("01", "Ain", 46.08, 5.33, secret), new MapMark("01", "Ain", 46.08, 5.33, secret)]),
        ];

        foreach (var chart in charts)
        {
            using var bitmap = SKBitmap.Decode(ChartRenderer.RenderPng(chart));
            Assert.Equal((640, 400), (bitmap.Width, bitmap.Height));
            Assert.Contains("Vide", SvgTexts(ChartRenderer.RenderSvg(chart)));
        }
    }

    [Fact]
    public void The_chart_font_is_installed_and_renders_the_narrow_no_break_space()
    {
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans");

        Assert.Equal("DejaVu Sans", typeface.FamilyName);
        Assert.True(typeface.ContainsGlyph(0x202F));
    }
}
