using System.Globalization;
using System.Xml.Linq;
using Grpc.Core;
using Observatoire.Protos.V1;
using SkiaSharp;
using UglyToad.PdfPig;

namespace Observatoire.Server.Tests;

/// <summary>
/// Charts and the annual report through the real server, on one quarterly post of the Lozère (48)
/// whose informations préoccupantes add up to 1 over 2024: a count that must never be published.
/// </summary>
public class ReportTests(ReportTests.LozereFixture lozere) : IClassFixture<ReportTests.LozereFixture>
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private readonly ReportService.ReportServiceClient _reports = new(lozere.Server.CreateChannel());
    private readonly AggregateService.AggregateServiceClient _aggregates = new(lozere.Server.CreateChannel());

    public static TheoryData<ChartKind, string, ImageFormat> Charts => new()
    {
        { ChartKind.TimeSeries, "entretiens", ImageFormat.Png },
        { ChartKind.Ranking, "personnes_nouvelles", ImageFormat.Png },
        { ChartKind.Breakdown, "problematiques.problematique", ImageFormat.Svg },
        { ChartKind.Pyramid, "", ImageFormat.Png },
        { ChartKind.Completeness, "", ImageFormat.Svg },
        { ChartKind.Map, "couverture", ImageFormat.Png },
        { ChartKind.Map, "personnes_nouvelles", ImageFormat.Svg },
    };

    [Theory]
    [MemberData(nameof(Charts))]
    public async Task Every_chart_kind_decodes_at_the_asked_size(ChartKind kind, string cell, ImageFormat format)
    {
        var area = kind == ChartKind.Ranking ? new Area { Level = AreaLevel.Region, Code = "76" } : new Area { Level = AreaLevel.Department, Code = "48" };
        var request = new RenderChartRequest { Kind = kind, Area = area, Period = "2024", Cell = cell, Format = format, Width = 900, Height = 640, Granularity = Granularity.Quarter };

        var chart = await _reports.RenderChartAsync(request);

        Assert.False(string.IsNullOrWhiteSpace(chart.Title));
        if (format == ImageFormat.Png)
        {
            Assert.Equal("image/png", chart.ContentType);
            using var bitmap = SKBitmap.Decode(chart.Image.ToByteArray());
            Assert.Equal((900, 640), (bitmap.Width, bitmap.Height));
        }
        else
        {
            Assert.Equal("image/svg+xml", chart.ContentType);
            var svg = XDocument.Parse(chart.Image.ToStringUtf8()).Root!;
            Assert.Equal("900", svg.Attribute("width")!.Value.Replace("px", "", StringComparison.Ordinal));
            Assert.Equal("640", svg.Attribute("height")!.Value.Replace("px", "", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_suppressed_count_is_drawn_as_secret_not_as_a_number()
    {
        var published = await _aggregates.ConsolidateAsync(new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Department, Code = "48" },
            Period = "2024",
            Cells = { "informations_preoccupantes" },
        });
        Assert.Equal(Confidentiality.Suppressed, published.Figures.Single().Confidentiality);

        var chart = await _reports.RenderChartAsync(new RenderChartRequest
        {
            Kind = ChartKind.TimeSeries,
            Area = new Area { Level = AreaLevel.Department, Code = "48" },
            Period = "2024-T4",
            From = "2024-T1",
            Granularity = Granularity.Quarter,
            Cell = "informations_preoccupantes",
            Format = ImageFormat.Svg,
        });

        var texts = XDocument.Parse(chart.Image.ToStringUtf8()).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        Assert.Contains(texts, t => t.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chart_size_beyond_the_limit_is_refused_on_that_field()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _reports.RenderChartAsync(new RenderChartRequest
        {
            Kind = ChartKind.Map,
            Period = "2024",
            Width = 10_000,
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Department_report_has_its_pages_its_figures_and_no_suppressed_count()
    {
        var (pdf, summary) = await GenerateAsync(new GenerateAnnualReportRequest { Year = 2024, DepartmentCode = "48" });
        var figures = await _aggregates.ConsolidateAsync(new ConsolidateRequest
        {
            Area = new Area { Level = AreaLevel.Department, Code = "48" },
            Period = "2024",
            Cells = { "entretiens", "personnes_nouvelles" },
        });

        Assert.Equal(summary.Bytes, pdf.Length);
        using var document = PdfDocument.Open(pdf);
        Assert.Equal(summary.Pages, document.NumberOfPages);
        Assert.InRange(document.NumberOfPages, 4, 12);
        var pages = document.GetPages().Select(p => p.Text).ToList();
        var text = string.Join("\n", pages);
        Assert.Contains("Lozère (48)", text);
        Assert.Contains("Sommaire", text);
        Assert.Contains("Annexe méthodologique", text);
        Assert.Contains($"Page 2 / {summary.Pages}", pages[1]);

        // The report states the consolidation's figures, in French format.
        foreach (var figure in figures.Figures.Where(f => !f.Cell.Contains('[', StringComparison.Ordinal)))
        {
            Assert.Contains(figure.Value.ToString("N0", French), text);
        }

        // The informations préoccupantes row says secret, and the real count (1) is nowhere in it.
        var row = pages.SelectMany(p => p.Split("Informations préoccupantes transmises").Skip(1)).First().Split("Signalements")[0];
        Assert.Contains("secret", row);
        Assert.DoesNotContain(row, char.IsAsciiDigit);
    }

    [Fact]
    public async Task National_report_has_a_section_per_region_and_a_page_per_department()
    {
        var (pdf, summary) = await GenerateAsync(new GenerateAnnualReportRequest { Year = 2024 });

        using var document = PdfDocument.Open(pdf);
        var text = string.Join("\n", document.GetPages().Select(p => p.Text));
        Assert.Equal(summary.Pages, document.NumberOfPages);
        Assert.True(document.NumberOfPages > 101, $"{document.NumberOfPages} pages");
        Assert.Contains("Synthèse nationale", text);
        Assert.Contains("Occitanie", text);
        Assert.Contains("Corse-du-Sud (2A)", text);
        Assert.Contains("Mayotte (976)", text);
        Assert.Equal("rapport-annuel-2024.pdf", summary.FileName);

        // Navigation and text alternatives: a bookmark per region with its departments, a chart per region and department.
        var bookmarks = ReportAccessibilityTests.AssertOutlineMirrorsTableOfContents(document);
        Assert.Contains(bookmarks, b => b.Title == "Occitanie" && b.Children.Any(d => d.Title == "Lozère (48)"));
        Assert.Equal(101, bookmarks.Count(b => b.Level == 1));
        Assert.True(ReportAccessibilityTests.AssertEveryChartHasItsAlternative(document) > 101 + 13);
    }

    [Fact]
    public async Task Report_for_an_unknown_department_or_a_future_year_is_refused()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(() => GenerateAsync(new GenerateAnnualReportRequest { Year = 2024, DepartmentCode = "99" }));
        var future = await Assert.ThrowsAsync<RpcException>(() => GenerateAsync(new GenerateAnnualReportRequest { Year = DateTime.UtcNow.Year + 1 }));

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, future.StatusCode);
    }

    private async Task<(MemoryStream Pdf, ReportSummary Summary)> GenerateAsync(GenerateAnnualReportRequest request)
    {
        using var call = _reports.GenerateAnnualReport(request);
        var pdf = new MemoryStream();
        ReportSummary? summary = null;
        var progress = 0;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            switch (chunk.ContentCase)
            {
                case ReportChunk.ContentOneofCase.Progress:
                    progress++;
                    break;
                case ReportChunk.ContentOneofCase.Data:
                    chunk.Data.WriteTo(pdf);
                    break;
                case ReportChunk.ContentOneofCase.Summary:
                    summary = chunk.Summary;
                    break;
            }
        }

        Assert.True(progress > 0);
        pdf.Position = 0;
        return (pdf, summary ?? throw new InvalidOperationException("No summary"));
    }

    /// <summary>The server with four quarterly grids of P-48-001 for 2024; one child-protection alert in the year.</summary>
    public sealed class LozereFixture : IAsyncLifetime
    {
        public ServerFixture Server { get; } = new();

        public async Task InitializeAsync()
        {
            var grids = new GridService.GridServiceClient(Server.CreateChannel());
            for (var quarter = 1; quarter <= 4; quarter++)
            {
                var grid = TestGrids.Valid("P-48-001", $"2024-T{quarter}");
                grid.Values["informations_preoccupantes"] = quarter == 2 ? 1 : 0;
                await grids.SubmitGridAsync(TestGrids.Submission(grid));
            }
        }

        public Task DisposeAsync()
        {
            Server.Dispose();
            return Task.CompletedTask;
        }
    }
}
