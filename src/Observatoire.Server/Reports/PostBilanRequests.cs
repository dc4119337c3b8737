using Microsoft.Extensions.Options;
using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Validation;
using Observatoire.Reporting.Document;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Audit;
using Observatoire.Server.Grpc;
using Observatoire.Server.Security;

namespace Observatoire.Server.Reports;

/// <summary>A post's bilan, checked and ready to be built: its id as the registry spells it and the document's file name.</summary>
internal sealed record PreparedBilan(string PostId, int Year, string FileName, Func<IProgress<string>, ReportDocument> Build);

/// <summary>
/// Who may have a post's bilan d'activité and with which text: one decision for gRPC's GeneratePostBilan and the
/// post's web page. A bilan is the post's own raw figures: for the post itself and the administrator, audited.
/// </summary>
internal sealed class PostBilanRequests(
    PostBilanBuilder bilans,
    ConsolidationState state,
    AuditLog audit,
    RenderGate gate,
    IOptions<ObservatoireOptions> options,
    TimeProvider clock)
{
    /// <summary>INVALID_ARGUMENT unless the year is from 2000 to this year (a report of the future has nothing).</summary>
    public static void CheckYear(int year, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var thisYear = clock.GetUtcNow().Year;
        if (year < 2000 || year > thisYear)
        {
            throw RpcErrors.InvalidField("year", "ANNEE_INVALIDE", $"L'année {year} est invalide : de 2000 à {thisYear}.");
        }
    }

    /// <summary>
    /// Checks the year, the caller's right to the post (before the registry is consulted, so a refusal says nothing of
    /// which posts exist), the post, and the qualitative text; records the raw read. Throws the RpcException gRPC answers.
    /// </summary>
    public async Task<PreparedBilan> PrepareAsync(CallerScope caller, string postIdText, int year, string text, string client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(postIdText);
        CheckYear(year, clock);
        var postId = postIdText.Trim().ToUpperInvariant();
        AccessPolicy.ForPostGrids(caller, postId).OrDeny();
        if (!state.Registry.Posts.ContainsKey(postId))
        {
            throw RpcErrors.NotFound($"Le poste « {ClientText.Quote(postIdText)} » n'existe pas dans le registre des ISCG.");
        }

        await audit.RecordAsync(caller, AuditActions.RawRead, $"{postId} {year}", postId, client, ct);

        var schema = state.Consolidator.SchemaFor(Period.OfYear(year));
        var violations = FreeTextCheck.Check(text ?? "", schema, "texte");
        if (violations.Count > 0)
        {
            throw RpcErrors.Rejected(violations, options.Value.MaxReportedViolations, "Texte du bilan refusé");
        }

        return new PreparedBilan(postId, year, $"bilan-{postId}-{year}.pdf", _ => bilans.Build(postId, year, text ?? ""));
    }

    /// <summary>The prepared bilan as a PDF, drawn when a render slot is free.</summary>
    public Task<byte[]> RenderAsync(PreparedBilan bilan, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bilan);
        return gate.RunAsync(
            () =>
            {
                using var output = new MemoryStream();
                new PdfReportWriter(clock).Write(bilan.Build(new Progress<string>()), output, null, ct);
                return output.ToArray();
            },
            ct);
    }
}
