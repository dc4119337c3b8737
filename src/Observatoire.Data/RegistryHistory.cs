using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Consolidation;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>
/// The registry's history (<see cref="PostVersion"/>): every change of a post leaves the whole post as it then stood,
/// with when it was recorded, so that figures as of an instant read the registry as it was recorded by then.
/// </summary>
public static class RegistryHistory
{
    /// <summary>
    /// Records the post as it now stands in the open transaction (after its change is saved): called by every registry
    /// change, after <see cref="ChangeFeed.BumpRegistryAsync"/>, whose row lock orders the versions as the changes.
    /// </summary>
    public static async Task RecordAsync(ObservatoireDbContext db, string postId, DateTime recordedAtUtc, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var post = await db.Posts.AsNoTracking().Include(p => p.Assignments).SingleAsync(p => p.Id == postId, ct);
        db.PostVersions.Add(VersionOf(post, GridStore.ToStoredPrecision(recordedAtUtc), baseline: false));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Gives every post that has no version yet its baseline version: the posts seeded with a new database, and, the
    /// first time a database made before the history starts, the posts as they then stand. Idempotent; posts are
    /// recorded once even when several instances start together (the registry's row is locked meanwhile).
    /// </summary>
    /// <returns>How many posts were recorded.</returns>
    public static async Task<int> RecordBaselineAsync(ObservatoireDbContext db, DateTime recordedAtUtc, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!await db.Posts.AnyAsync(p => !db.PostVersions.Any(v => v.PostId == p.Id), ct))
        {
            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        // Takes the row lock that registry changes take, without moving the version: nothing changes for the readers.
        await db.RegistryVersions
            .Where(r => r.Id == RegistryVersion.RowId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Version, r => r.Version), ct);
        var posts = await db.Posts.AsNoTracking()
            .Where(p => !db.PostVersions.Any(v => v.PostId == p.Id))
            .Include(p => p.Assignments)
            .ToListAsync(ct);
        var at = GridStore.ToStoredPrecision(recordedAtUtc);
        db.PostVersions.AddRange(posts.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => VersionOf(p, at, baseline: true)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return posts.Count;
    }

    /// <summary>A version of the post as it stands, with its assignments in order.</summary>
    public static PostVersion VersionOf(Post post, DateTime recordedAtUtc, bool baseline)
    {
        ArgumentNullException.ThrowIfNull(post);
        return new PostVersion
        {
            PostId = post.Id,
            RecordedAtUtc = recordedAtUtc,
            Baseline = baseline,
            Name = post.Name,
            DepartmentCode = post.DepartmentCode,
            Zone = post.Zone,
            Fte = post.Fte,
            Frequency = post.Frequency,
            ActiveFrom = post.ActiveFrom,
            ActiveTo = post.ActiveTo,
            Locations = string.Join(';', post.Assignments.OrderBy(a => a.ValidFrom).Select(a => $"{a.DepartmentCode}:{Iso(a.ValidFrom)}:{(a.ValidTo is { } to ? Iso(to) : "")}")),
        };
    }

    /// <summary>The post a version describes, as consolidation sees it.</summary>
    public static PostInfo ToPostInfo(PostVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new PostInfo(
            version.PostId,
            version.Name,
            version.DepartmentCode,
            version.Zone,
            version.Fte,
            version.Frequency,
            version.ActiveFrom,
            version.ActiveTo,
            [.. Locations(version.Locations)]);
    }

    /// <summary>Parses <see cref="PostVersion.Locations"/>; throws on text this class did not write.</summary>
    public static IEnumerable<PostLocation> Locations(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var span in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = span.Split(':');
            if (parts.Length != 3)
            {
                throw new InvalidDataException($"Rattachement illisible dans l'historique du registre : « {span} ».");
            }

            yield return new PostLocation(parts[0], Date(parts[1]), parts[2].Length == 0 ? null : Date(parts[2]));
        }
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Date(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new InvalidDataException($"Date illisible dans l'historique du registre : « {text} ».");
}
