namespace Observatoire.Reporting.Document;

/// <summary>What the writer produced: total page count and the page (1-based, cover = 1) of each section.</summary>
/// <param name="PageCount">Number of pages in the PDF, cover and table of contents included.</param>
/// <param name="SectionPages">Page of each section, in the order of <see cref="ReportDocument.Sections"/>.</param>
/// <param name="ChartDataPage">First page of the annex of chart data the writer adds after the sections; null without charts.</param>
public sealed record ReportResult(int PageCount, IReadOnlyList<int> SectionPages, int? ChartDataPage = null);

/// <summary>Progress of a report being written, with a message in French for the user.</summary>
/// <param name="PagesWritten">Pages drawn into the PDF so far.</param>
/// <param name="TotalPages">Total number of pages, 0 while the layout is not finished.</param>
/// <param name="SectionsDone">Sections laid out so far.</param>
/// <param name="TotalSections">Number of sections in the document.</param>
/// <param name="Message">French message, e.g. « Écriture de la page 3 sur 48 ».</param>
public sealed record ReportProgress(int PagesWritten, int TotalPages, int SectionsDone, int TotalSections, string Message);
