using Grpc.Core;
using Observatoire.Core.Access;
using Observatoire.Core.Periods;
using Observatoire.Core.Validation;
using Observatoire.Data;
using Observatoire.Server.Grids;
using Observatoire.Server.Grpc;
using Observatoire.Workbooks;

namespace Observatoire.Server.Web.Grids;

/// <summary>A violation and where it is in the workbook ("'Mars'!B15:B18"), when the sheet has that cell.</summary>
internal sealed record PlacedViolation(Violation Violation, string? Place);

/// <summary>What became of one filled sheet: refused before validation, invalid, valid, or stored as a revision.</summary>
internal sealed record SheetOutcome(
    WorkbookGrid Sheet,
    string? Refusal,
    IReadOnlyList<PlacedViolation> Errors,
    IReadOnlyList<PlacedViolation> Warnings,
    StoreResult? Stored)
{
    public bool Valid => Refusal is null && Errors.Count == 0;
}

/// <summary>An uploaded workbook: problems of the file or of a sheet's cells (not whole numbers), and each filled sheet's outcome.</summary>
internal sealed record UploadOutcome(IReadOnlyList<WorkbookProblem> Problems, IReadOnlyList<SheetOutcome> Sheets);

/// <summary>
/// A filled workbook sent from the post's page: read by the same reader as the command line, each sheet checked against
/// the schema the server serves for its period (as observatoire validate does), then validated or submitted through
/// <see cref="PostPeriods"/>, the same intake and access policy as gRPC.
/// </summary>
internal sealed class WorkbookUpload(PostPeriods periods, WorkbookReadings readings)
{
    /// <summary>Largest upload read (bytes): the workbook format's own bound.</summary>
    public const long MaxBytes = WorkbookFormat.MaxFileBytes;

    public async Task<UploadOutcome> HandleAsync(CallerScope caller, Stream workbook, bool submit, CancellationToken ct)
    {
        // A workbook is read whole into memory (up to WorkbookFormat.MaxUncompressedBytes of content): a bounded number
        // at once, one per account.
        if (await readings.ReadAsync(caller.KeyId, workbook, ct) is not { } reading)
        {
            return new UploadOutcome([new WorkbookProblem(WorkbookReadings.Busy)], []);
        }

        var sheets = new List<SheetOutcome>();
        foreach (var sheet in reading.Grids)
        {
            sheets.Add(await HandleSheetAsync(caller, sheet, submit, ct));
        }

        return new UploadOutcome(reading.Problems, sheets);
    }

    private async Task<SheetOutcome> HandleSheetAsync(CallerScope caller, WorkbookGrid sheet, bool submit, CancellationToken ct)
    {
        if (!Period.TryParse(sheet.Period, out var period))
        {
            return Refused(sheet, $"période « {ClientText.Quote(sheet.Period, 20)} » illisible : générez un nouveau classeur.");
        }

        if (SchemaProblem(sheet, period) is { } problem)
        {
            return Refused(sheet, problem);
        }

        var grid = new GridInput(sheet.PostId, sheet.Period, sheet.SchemaVersion, sheet.Values, sheet.Comment.Length == 0 ? null : sheet.Comment);
        try
        {
            if (submit)
            {
                var result = await periods.SubmitAsync(caller, grid, SubmissionId(), ct);
                return Outcome(sheet, result.Validation, result.Stored);
            }

            return Outcome(sheet, await periods.ValidateAsync(caller, grid, ct), null);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied or StatusCode.FailedPrecondition or StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.Unavailable)
        {
            return Refused(sheet, e.Status.Detail);
        }
    }

    /// <summary>A sheet generated for another schema than the one served for its period is refused, as the command line refuses it.</summary>
    private string? SchemaProblem(WorkbookGrid sheet, Period period)
    {
        var served = periods.SchemaFor(period);
        if (served.Version != sheet.SchemaVersion)
        {
            return $"classeur généré pour la grille {sheet.SchemaVersion}, mais le serveur attend la grille {served.Version} pour la période {period} : générez un nouveau classeur.";
        }

        return SchemaCells.Fingerprint(ProtoMapping.ToProto(served)) != sheet.SchemaFingerprint
            ? $"la grille {served.Version} du serveur n'a plus les cases de ce classeur : générez un nouveau classeur."
            : null;
    }

    /// <summary>
    /// A new id for each sheet sent: the same sheet sent again while its content is the current revision writes no new
    /// one (the store compares it with the current revision), and a sheet sent again after a correction on the form
    /// becomes the current revision again. An id derived from the content would do neither: it would name the revision
    /// first sent whatever came since, and another post could compute it and take it first.
    /// </summary>
    private static string SubmissionId() => "classeur-" + Guid.NewGuid().ToString("N");

    private static SheetOutcome Outcome(WorkbookGrid sheet, ValidationResult validation, StoreResult? stored) => new(
        sheet,
        null,
        [.. validation.Violations.Where(v => v.IsError).Select(v => new PlacedViolation(v, sheet.Cells.Locate(v.Path)))],
        [.. validation.Violations.Where(v => !v.IsError).Select(v => new PlacedViolation(v, sheet.Cells.Locate(v.Path)))],
        stored);

    private static SheetOutcome Refused(WorkbookGrid sheet, string reason) => new(sheet, reason, [], [], null);
}
