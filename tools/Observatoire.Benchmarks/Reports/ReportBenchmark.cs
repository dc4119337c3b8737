using System.Diagnostics;
using System.Reflection;
using Observatoire.Reporting.Charts;
using Observatoire.Reporting.Document;
using SkiaSharp;

namespace Observatoire.Benchmarks.Reports;

/// <summary>
/// The national annual report as the server makes it (its report builder on published figures, then the PDF writer,
/// to a PDF in memory), against the same charts drawn by ScottPlot alone (<see cref="PlainCharts"/>) in the same run:
/// the issue's goal is the report within 1.5× of its charts alone. Medians of wall and process CPU time over
/// <see cref="Runs"/> runs after one unmeasured run (which also waits for the year's secrecy plans, made once per
/// year and indicator in the background as in the server, and is not what this measures).
/// </summary>
internal static class ReportBenchmark
{
    private const int Runs = 5;

    /// <summary>The report writer's print scale (ChartRenderer.PrintScale): rectangle points per layout pixel.</summary>
    private const float PrintScale = ChartRenderer.PrintScale;

    /// <summary>A4 content width and body height of the report's pages, in points (the writer's ReportTheme).</summary>
    private const float ContentWidth = 595f - 57f - 57f;
    private const float BodyHeight = 842f - 40f - 36f - (40f + 36f);

    /// <summary>Room under a chart for its description (about three lines of notes), as the writer keeps it.</summary>
    private const float DescriptionRoom = 40f;

    /// <param name="pdf">Where to save the first report, to look at it; none when null.</param>
    public static void Run(int targetPosts, int year, string? pdf = null)
    {
        var watch = Stopwatch.StartNew();
        using var data = ReportData.Build(targetPosts, year);
        Console.WriteLine($"Annual report — national {year}, {data.Posts} posts, {data.Grids:N0} simulated grids (built in {watch.Elapsed.TotalSeconds:N1} s), {Environment.ProcessorCount} cores");

        watch.Restart();
        var cpu = Environment.CpuUsage.TotalTime;
        var first = MakeReport(data, year, out var document);
        if (pdf is not null)
        {
            using var file = File.Create(pdf);
            new PdfReportWriter(data.Clock).Write(document, file);
        }

        Console.WriteLine($"first report (secrecy plans of the year made and awaited, not measured below): {watch.Elapsed.TotalSeconds:N1} s wall, {(Environment.CpuUsage.TotalTime - cpu).TotalSeconds:N1} s CPU, {first.PageCount} pages");

        var charts = ChartsOf(document);
        PlainCharts.DrawAll(charts, PrintScale); // warm up (JIT, fonts, map shapes)

        var report = new List<Sample>();
        var build = new List<Sample>();
        var plain = new List<Sample>();
        var own = new List<Sample>();
        var blocks = document.Sections.SelectMany(s => s.Blocks).OfType<ChartBlock>().Zip(charts, (block, chart) => (block, chart.Size)).ToList();
        for (var i = 0; i < Runs; i++)
        {
            // Alternate them so that all see the same machine (the other engineers' builds come and go).
            report.Add(Measure(() => MakeReport(data, year, out _).PageCount));
            build.Add(Measure(() => data.Reports.National(year, null).Sections.Count));
            plain.Add(Measure(() => PlainCharts.DrawAll(charts, PrintScale)));
            own.Add(Measure(() => DrawBlocks(blocks)));
        }

        // Where the report's time goes: one more pass with a stopwatch around each chart's drawing delegate.
        var drawing = new List<Sample>();
        var writing = new List<Sample>();
        for (var i = 0; i < Runs; i++)
        {
            var timed = Timed(data.Reports.National(year, null), out var chartTime);
            writing.Add(Measure(() => new PdfReportWriter(data.Clock).Write(timed, new MemoryStream()).PageCount));
            drawing.Add(new Sample(chartTime.Wall.TotalMilliseconds, chartTime.Cpu.TotalMilliseconds));
        }

        var r = Median(report);
        var p = Median(plain);
        var o = Median(own);
        var b = Median(build);
        var d = Median(drawing);
        var w = Median(writing);
        Console.WriteLine();
        Console.WriteLine($"{"measure (median of " + Runs + ")",-72} {"wall",10} {"CPU",10}");
        Console.WriteLine($"{"annual report, national (builder + PDF writer, in memory)",-72} {Format(r.Wall),10} {Format(r.Cpu),10}");
        Console.WriteLine($"{"  of which the document: figures, chart data, text alternatives",-72} {Format(b.Wall),10} {Format(b.Cpu),10}");
        Console.WriteLine($"{"  of which the PDF writer (stopwatched run)",-72} {Format(w.Wall),10} {Format(w.Cpu),10}");
        Console.WriteLine($"{"    of which drawing the charts into their pages (ChartRenderer.Draw)",-72} {Format(d.Wall),10} {Format(d.Cpu),10}");
        Console.WriteLine($"{"    of which the rest: layout, text, tables, every page's PDF encoding",-72} {Format(w.Wall - d.Wall),10} {Format(w.Cpu - d.Cpu),10}");
        Console.WriteLine($"{"baseline: the same " + charts.Count + " charts by ScottPlot alone, vectors into a PDF",-72} {Format(p.Wall),10} {Format(p.Cpu),10}");
        Console.WriteLine($"{"the report's own chart renderer, the same charts the same way (one a page)",-72} {Format(o.Wall),10} {Format(o.Cpu),10}");
        Console.WriteLine();
        Console.WriteLine("(SkiaSharp encodes a page's content when the page ends: the charts' share of the encoding is in the rest, not in their drawing.)");
        Console.WriteLine($"ratio report / charts alone: {r.Wall / p.Wall:N2}× wall, {r.Cpu / p.Cpu:N2}× CPU (goal ≤ 1.5×); {first.PageCount} pages, {charts.Count} charts");
    }

    /// <summary>The report's chart blocks alone, drawn as the baseline draws its charts: one a page, at the report's size.</summary>
    private static long DrawBlocks(List<(ChartBlock Block, SKSize Size)> blocks)
    {
        using var stream = new MemoryStream();
        using (var pdf = SKDocument.CreatePdf(stream))
        {
            foreach (var (block, size) in blocks)
            {
                var canvas = pdf.BeginPage(595f, 842f);
                canvas.Translate(57f, 76f);
                block.Draw(canvas, SKRect.Create(0, 0, size.Width, size.Height));
                pdf.EndPage();
            }

            pdf.Close();
        }

        return stream.Length;
    }

    private static ReportResult MakeReport(ReportData data, int year, out ReportDocument document)
    {
        document = data.Reports.National(year, null);
        using var output = new MemoryStream();
        return new PdfReportWriter(data.Clock).Write(document, output);
    }

    /// <summary>
    /// The report's charts (their data, as drawn) and the size each is drawn at. A chart block carries only its
    /// drawing delegate: the chart is the one the delegate of <see cref="ChartAlternatives.Block"/> captured, checked
    /// against the block's text alternative.
    /// </summary>
    private static List<(Chart Chart, SKSize Size)> ChartsOf(ReportDocument document)
    {
        var result = new List<(Chart, SKSize)>();
        foreach (var block in document.Sections.SelectMany(s => s.Blocks).OfType<ChartBlock>())
        {
            var target = block.Draw.Target;
            var chart = target?.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Select(f => f.GetValue(target)).OfType<Chart>().SingleOrDefault();
            if (chart is null || ChartAlternatives.For(chart).Title != block.Alternative.Title)
            {
                throw new InvalidOperationException($"The chart of block \"{block.Alternative.Title}\" is not reachable: ChartAlternatives.Block changed, update the report benchmark.");
            }

            // As the writer's ChartFlow: the content width, narrowed when too tall for a page.
            var width = ContentWidth;
            var height = width * block.AspectRatio;
            var maxHeight = BodyHeight - DescriptionRoom;
            if (height > maxHeight)
            {
                height = maxHeight;
                width = height / block.AspectRatio;
            }

            result.Add((chart, new SKSize(width, height)));
        }

        return result;
    }

    /// <summary>The document with each chart's drawing timed (wall and process CPU), for the split.</summary>
    private static ReportDocument Timed(ReportDocument document, out Totals totals)
    {
        var sum = new Totals();
        totals = sum;
        return document with
        {
            Sections = [.. document.Sections.Select(s => s with
            {
                Blocks = [.. s.Blocks.Select(b => b is ChartBlock c ? c with { Draw = (canvas, rect) => sum.Time(() => c.Draw(canvas, rect)) } : b)],
            })],
        };
    }

    private sealed class Totals
    {
        public TimeSpan Wall { get; private set; }

        public TimeSpan Cpu { get; private set; }

        public void Time(Action action)
        {
            var start = Stopwatch.GetTimestamp();
            var cpu = Environment.CpuUsage.TotalTime;
            action();
            Cpu += Environment.CpuUsage.TotalTime - cpu;
            Wall += Stopwatch.GetElapsedTime(start);
        }
    }

    private readonly record struct Sample(double Wall, double Cpu);

    private static Sample Measure(Func<long> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var start = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        GC.KeepAlive(work());
        return new Sample(Stopwatch.GetElapsedTime(start).TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds);
    }

    private static Sample Median(List<Sample> samples) =>
        new(samples.Select(s => s.Wall).Order().ElementAt(samples.Count / 2), samples.Select(s => s.Cpu).Order().ElementAt(samples.Count / 2));

    private static string Format(double milliseconds) => milliseconds < 1000 ? $"{milliseconds:N0} ms" : $"{milliseconds / 1000:N2} s";
}
