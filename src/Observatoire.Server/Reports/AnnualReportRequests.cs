using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Validation;
using Observatoire.Reporting.Document;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Grpc;
using Observatoire.Server.Security;

namespace Observatoire.Server.Reports;

/// <summary>An annual report, checked and ready to be built: the national one, or one department's (its code set).</summary>
/// <param name="DocumentClock">What the PDF is dated by: the figures' instant when they are as of one, else the server's clock.</param>
internal sealed record PreparedReport(int Year, string DepartmentCode, string FileName, int PreparationSteps, Func<IProgress<string>, CancellationToken, ReportDocument> Build, TimeProvider DocumentClock);

/// <summary>
/// Who may have the annual report of a year: one decision for gRPC's GenerateAnnualReport and the report page.
/// The rapport and admin roles get any, an analyst the departments of its scope (the national report with a
/// national scope); the figures are the published ones, disclosure control applied.
/// </summary>
internal sealed class AnnualReportRequests(AnnualReportBuilder reports, ConsolidationState state, RenderGate gate, TimeProvider clock)
{
    /// <summary>
    /// Checks the year, the department (empty for the national report) and the caller's right to it; throws the
    /// RpcException gRPC answers (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED).
    /// </summary>
    /// <param name="figures">The figures to report (as of an instant); today's when null.</param>
    public PreparedReport Prepare(CallerScope caller, int year, string departmentCode, PublishedFigures? figures = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(departmentCode);
        PostBilanRequests.CheckYear(year, clock);
        var department = departmentCode.Trim().ToUpperInvariant();
        if (department.Length > 0 && !state.Registry.Exists(new AreaRef(AreaLevel.Department, department)))
        {
            throw RpcErrors.NotFound($"Le département « {ClientText.Quote(departmentCode)} » n'existe pas.");
        }

        AccessPolicy.ForReport(caller, department, state.Registry).OrDeny();
        var builder = figures is null ? reports : reports.At(figures);
        var documentClock = figures is null ? clock : Editions.CutOffClock.For(figures, clock);
        return department.Length > 0
            ? new PreparedReport(year, department, $"rapport-{year}-{department}.pdf", 1, (progress, _) => builder.Department(year, department, progress), documentClock)
            : new PreparedReport(year, "", $"rapport-annuel-{year}.pdf", state.Registry.Regions.Count, (progress, ct) => builder.National(year, progress, ct), documentClock);
    }

    /// <summary>True when <paramref name="caller"/> may have the report of this area (empty: national), for the choices a page offers.</summary>
    public bool Allows(CallerScope caller, string departmentCode) =>
        AccessPolicy.ForReport(caller, departmentCode, state.Registry).Allowed;

    /// <summary>The prepared report as a PDF, drawn when a render slot is free.</summary>
    public Task<ReportResult> RenderAsync(PreparedReport report, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        return gate.RunAsync(() => new PdfReportWriter(report.DocumentClock).Write(report.Build(new Progress<string>(), ct), output, null, ct), ct, "pdf");
    }
}
