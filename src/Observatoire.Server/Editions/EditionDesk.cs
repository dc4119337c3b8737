using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Access;
using Observatoire.Data;
using Observatoire.Reporting.Document;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Audit;
using Observatoire.Server.Exports;
using Observatoire.Server.Grpc;
using Observatoire.Server.Security;
using Observatoire.Server.Reports;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Editions;

/// <summary>
/// Publishes and lists editions: a year's figures frozen at a cut-off. Publishing makes the national annual report,
/// the open data package and the year's exports (<see cref="FigureExports.YearExports"/>) from the figures as of the
/// cut-off (<see cref="FigureViews"/>), each dated at it, and stores their SHA-256: a read as of the same cut-off
/// regenerates the same bytes, whatever grids arrive later.
/// </summary>
internal sealed partial class EditionDesk(
    FigureViews views,
    AnnualReportBuilder reports,
    FigureExports exports,
    RenderGate gate,
    IServiceScopeFactory scopes,
    AuditLog audit,
    GridStoreLock writeLock,
    TimeProvider clock)
{
    /// <summary>Editions listed by default, and at most, in one answer.</summary>
    private const int DefaultListLimit = 100;
    private const int MaxListLimit = 1000;

    /// <summary>Publications waiting for their turn, besides the one being made; beyond, refused.</summary>
    private const int MaxWaiting = 2;

    /// <summary>
    /// One edition is made at a time: each draws a national report and every export of its year, so several at once
    /// would keep every chart and document of other callers waiting (twenty took another analyst's chart from 25 ms to 21 s).
    /// </summary>
    private readonly SemaphoreSlim _publishing = new(1, 1);
    private int _asking;

    public async Task<Api.Edition> PublishAsync(Api.PublishEditionRequest request, CallerScope caller, CancellationToken ct)
    {
        var name = request.Edition.Trim().ToLowerInvariant();
        if (!EditionName().IsMatch(name))
        {
            throw RpcErrors.InvalidField("edition", "EDITION_INVALIDE", $"Le nom d'édition « {Core.Validation.ClientText.Quote(request.Edition)} » est invalide : de 1 à {DataLimits.EditionName} caractères parmi a-z, 0-9, « - » et « . » (par exemple 2026-03).");
        }

        PostBilanRequests.CheckYear(request.Year, clock);
        AccessPolicy.ForReport(caller, null, views.Live.Registry).OrDeny();

        // An edition is a release at its cut-off, which any reader of published figures may then read: a cut-off in the
        // past, placed anywhere (just before and just after a late grid, as two editions), is the administration's.
        if (request.AsOf is not null && !AccessPolicy.ReadsAnyInstant(caller, Core.Consolidation.AreaRef.National, views.Live.Registry))
        {
            throw RpcErrors.InvalidField("as_of", "DATE_NON_PUBLIEE", "Une édition arrêtée à un instant passé est publiée par l'administration nationale ; sans as_of, l'édition est arrêtée maintenant.");
        }

        // Whole microseconds: every database keeps them exactly (PostgreSQL does not keep .NET's 100 ns ticks).
        var cutOff = request.AsOf is null ? clock.GetUtcNow().UtcDateTime : views.Instant(request.AsOf, "as_of");
        cutOff = Microseconds(cutOff);
        if (Interlocked.Increment(ref _asking) > 1 + MaxWaiting)
        {
            Interlocked.Decrement(ref _asking);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"{1 + MaxWaiting} éditions sont déjà en cours de publication ou en attente : elles se publient une à la fois (rapport national, données ouvertes et exports de l'année). Réessayez une fois celles-ci publiées."));
        }

        try
        {
            await _publishing.WaitAsync(ct);
            try
            {
                return await PublishInTurnAsync(request, name, cutOff, caller, ct);
            }
            finally
            {
                _publishing.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _asking);
        }
    }

    private async Task<Api.Edition> PublishInTurnAsync(Api.PublishEditionRequest request, string name, DateTime cutOff, CallerScope caller, CancellationToken ct)
    {
        if (await FindAsync(name, ct) is not null)
        {
            throw RpcErrors.AlreadyExists($"L'édition « {name} » existe déjà : une édition publiée ne change pas (choisissez un autre nom).");
        }

        var figures = await views.AtAsync(cutOff, ct);

        // An edition's files are regenerated later with their checksums: figures withheld now because a plan failed
        // (whatever the cause) would be published later, and the files would differ. Such an edition is not published.
        var failed = await Task.Run(() => figures.FailedPlans(request.Year, ct), ct);
        if (failed.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"Le secret statistique de {failed.Count} indicateur(s) de {request.Year} n'a pas pu être calculé ({string.Join(", ", failed.Take(3))}{(failed.Count > 3 ? "…" : "")}) : publiée ainsi, l'édition ne se régénérerait pas à l'identique. Rien n'est publié ; réessayez plus tard (le journal du serveur dit la cause)."));
        }

        var report = await gate.RunAsync(() => Report(figures, request.Year, ct), ct, "pdf");
        var openData = await gate.RunAsync(() => exports.OpenData(figures, request.Year, ct), ct, "export");
        var yearExports = await gate.RunAsync(() => exports.YearExports(figures, request.Year, ct), ct, "export");

        var edition = new Data.Entities.Edition
        {
            Name = name,
            Year = request.Year,
            CutOffUtc = cutOff,
            CreatedAtUtc = Microseconds(clock.GetUtcNow().UtcDateTime),
            CreatedBy = caller.KeyId,
            Files = [File(report), File(openData), .. yearExports.Select(File)],
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        db.Editions.Add(edition);
        db.AuditEntries.Add(audit.Entry(caller, AuditActions.EditionPublished, name, null, $"Année {request.Year}, données arrêtées au {cutOff:yyyy-MM-dd'T'HH:mm:ss'Z'}"));
        try
        {
            using (await writeLock.TakeTurnAsync(CancellationToken.None))
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        catch (DbUpdateException)
        {
            // Another call published the same name meanwhile: the unique index refused the second.
            if (await FindAsync(name, CancellationToken.None) is not null)
            {
                throw RpcErrors.AlreadyExists($"L'édition « {name} » existe déjà : une édition publiée ne change pas (choisissez un autre nom).");
            }

            throw;
        }

        return ToProto(edition);
    }

    public async Task<Api.ListEditionsResponse> ListAsync(Api.ListEditionsRequest request, CancellationToken ct)
    {
        var limit = request.Limit == 0 ? DefaultListLimit : request.Limit;
        if (limit is < 1 or > MaxListLimit)
        {
            throw RpcErrors.InvalidField("limit", "LIMITE_INVALIDE", $"La limite va de 1 à {MaxListLimit}.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        var query = db.Editions.AsNoTracking().AsQueryable();
        if (request.Year != 0)
        {
            query = query.Where(e => e.Year == request.Year);
        }

        if (request.Edition.Length > 0)
        {
            // A name longer than any edition's names none (and is not sent to the database).
            var name = request.Edition.Length <= DataLimits.EditionName ? request.Edition.Trim().ToLowerInvariant() : "";
            query = query.Where(e => e.Name == name);
        }

        // The newest first (ids grow with publication), one more than asked to tell whether there were others.
        var editions = await query.Include(e => e.Files).OrderByDescending(e => e.Id).Take(limit + 1).ToListAsync(ct);
        var response = new Api.ListEditionsResponse { Truncated = editions.Count > limit };
        response.Editions.AddRange(editions.Take(limit).OrderByDescending(e => e.CreatedAtUtc).ThenByDescending(e => e.Id).Select(ToProto));
        return response;
    }

    /// <summary>The edition of this name; NOT_FOUND when there is none.</summary>
    public async Task<Data.Entities.Edition> GetAsync(string name, CancellationToken ct) =>
        await FindAsync(name.Trim().ToLowerInvariant(), ct)
        ?? throw RpcErrors.NotFound($"L'édition « {Core.Validation.ClientText.Quote(name)} » n'existe pas (observatoire editions les liste).");

    public static Api.Edition ToProto(Data.Entities.Edition edition)
    {
        var proto = new Api.Edition
        {
            Name = edition.Name,
            Year = edition.Year,
            CutOff = Timestamp.FromDateTime(DateTime.SpecifyKind(edition.CutOffUtc, DateTimeKind.Utc)),
            CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(edition.CreatedAtUtc, DateTimeKind.Utc)),
            CreatedBy = edition.CreatedBy,
        };
        proto.Files.AddRange(edition.Files.OrderBy(f => f.FileName, StringComparer.Ordinal)
            .Select(f => new Api.EditionFile { FileName = f.FileName, Sha256 = f.Sha256, Bytes = f.Bytes }));
        return proto;
    }

    private async Task<Data.Entities.Edition?> FindAsync(string name, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        return await db.Editions.AsNoTracking().Include(e => e.Files).FirstOrDefaultAsync(e => e.Name == name, ct);
    }

    /// <summary>The national report as of the figures' instant, as GenerateAnnualReport streams it for the same as_of.</summary>
    private ExportFile Report(PublishedFigures figures, int year, CancellationToken ct)
    {
        var document = reports.At(figures).National(year, null, ct);
        using var output = new MemoryStream();
        new PdfReportWriter(CutOffClock.For(figures, clock)).Write(document, output, null, ct);
        return new ExportFile(output.ToArray(), ReportFileName(year));
    }

    private static DateTime Microseconds(DateTime instant) =>
        new(instant.Ticks - (instant.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);

    /// <summary>The file name of a year's national report.</summary>
    public static string ReportFileName(int year) => $"rapport-annuel-{year}.pdf";

    private static Data.Entities.EditionFile File(ExportFile file) => new()
    {
        FileName = file.FileName,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(file.Bytes)),
        Bytes = file.Bytes.Length,
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{0,31}$")]
    private static partial Regex EditionName();
}
