using Observatoire.Reporting.Document;
using UglyToad.PdfPig;

namespace Observatoire.Reporting.Tests.Document;

public sealed class SampleReportTests
{
    [Fact]
    public void The_sample_annual_report_renders_and_is_saved_for_review_when_asked()
    {
        using var output = new MemoryStream();
        var result = new PdfReportWriter().Write(SampleReport.Build(), output);

        using var pdf = PdfDocument.Open(output.ToArray());
        Assert.Equal(result.PageCount, pdf.NumberOfPages);
        var target = Environment.GetEnvironmentVariable("OBSERVATOIRE_SAMPLE_PDF");
        if (!string.IsNullOrEmpty(target))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
            File.WriteAllBytes(target, output.ToArray());
        }
    }
}
