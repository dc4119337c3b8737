using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Access;
using Observatoire.Core.Registry;
using Observatoire.Data;
using Observatoire.Data.Entities;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Audit;
using Observatoire.Server.Grpc;

namespace Observatoire.Server.Registry;

/// <summary>A post to add, as the administrator describes it.</summary>
internal sealed record NewPost(string Id, string Name, string DepartmentCode, Zone Zone, double Fte, ReportingFrequency? Frequency, string ActiveFrom);

/// <summary>
/// Changes the registry of posts at run time: each change is one transaction with its audit line, a new registry
/// version (<see cref="ChangeFeed.BumpRegistryAsync"/>) and the post's new version in the registry's history
/// (<see cref="RegistryHistory"/>, for figures as of an instant), then the registry snapshot that validation and consolidation
/// share is reloaded before the call returns, so that every check knows the change at once; the other instances on
/// the database see the version move before their next answer (<see cref="GridFeedFollower"/>). Changes are
/// serialised with grid writes in this instance, and with other instances' registry changes by the version's row lock.
/// </summary>
internal sealed class RegistryEditor(ObservatoireDbContext db, GridStoreLock writeLock, GridFeedFollower feed, AuditLog audit, TimeProvider clock)
{
    private const int MaxIdLength = 32;

    public async Task<Post> AddAsync(NewPost post, CallerScope caller, CancellationToken ct)
    {
        if (post.Id.Length is 0 or > MaxIdLength || !post.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw RpcErrors.InvalidField("post.id", "POSTE_IDENTIFIANT", $"L'identifiant du poste est obligatoire : au plus {MaxIdLength} lettres, chiffres, « - » ou « _ ».");
        }

        CheckName(post.Name, "post.name");
        CheckFte(post.Fte, "post.fte");

        if (post.Frequency is not { } frequency)
        {
            throw RpcErrors.InvalidField("post.frequency", "POSTE_FREQUENCE", "La fréquence de remontée est obligatoire : mois, trimestre ou année.");
        }

        var from = ProtoMapping.ParseDate(post.ActiveFrom, "post.active_from");
        var department = post.DepartmentCode.ToUpperInvariant();
        return await WriteAsync(
            async () =>
            {
                await RequireDepartmentAsync(department, "post.department_code", ct);
                // Case apart, two ids are one post to a reader (and to a file system or a spreadsheet's lookup).
                var upper = post.Id.ToUpperInvariant();
                if (await db.Posts.AnyAsync(p => p.Id.ToUpper() == upper, ct))
                {
                    throw RpcErrors.AlreadyExists($"Le poste « {post.Id} » existe déjà dans le registre (les majuscules et minuscules ne distinguent pas deux postes).");
                }

                db.Posts.Add(new Post
                {
                    Id = post.Id,
                    Name = post.Name.Trim(),
                    DepartmentCode = department,
                    Zone = post.Zone,
                    Fte = post.Fte,
                    Frequency = frequency,
                    ActiveFrom = from,
                });
                db.PostAssignments.Add(new PostAssignment { PostId = post.Id, DepartmentCode = department, ValidFrom = from });
                db.AuditEntries.Add(audit.Entry(caller, AuditActions.PostAdded, post.Id, post.Id, $"département {department}, actif depuis {Iso(from)}"));
                return post.Id;
            },
            ct);
    }

    /// <summary>
    /// Corrects what describes a post: its name, zone and full-time equivalent, each kept when null (its department
    /// and dates have their own changes, with a date: <see cref="MoveAsync"/> and <see cref="DeactivateAsync"/>).
    /// </summary>
    public async Task<Post> UpdateAsync(string postId, string? newName, Zone? newZone, double? newFte, string reason, CallerScope caller, CancellationToken ct)
    {
        if (newName is not null)
        {
            CheckName(newName, "name");
        }

        if (newFte is { } checkedFte)
        {
            CheckFte(checkedFte, "fte");
        }

        return await WriteAsync(
            async () =>
            {
                var post = await FindAsync(postId, ct);
                var name = newName?.Trim() ?? post.Name;
                var zone = newZone ?? post.Zone;
                var fte = newFte ?? post.Fte;
                var changes = new List<string>();
                if (post.Name != name)
                {
                    changes.Add($"nom « {post.Name} » → « {name} »");
                    post.Name = name;
                }

                if (post.Zone != zone)
                {
                    changes.Add($"zone {post.Zone.ToString().ToLowerInvariant()} → {zone.ToString().ToLowerInvariant()}");
                    post.Zone = zone;
                }

                if (post.Fte != fte)
                {
                    changes.Add(FormattableString.Invariant($"ETP {post.Fte} → {fte}"));
                    post.Fte = fte;
                }

                if (changes.Count == 0)
                {
                    throw RpcErrors.InvalidField("name", "POSTE_INCHANGE", "Rien n'a changé : le nom, la zone et l'ETP sont ceux du registre.");
                }

                db.AuditEntries.Add(audit.Entry(caller, AuditActions.PostUpdated, post.Id, post.Id, $"{string.Join(", ", changes)}. {reason}".Trim()));
                return post.Id;
            },
            ct);
    }

    public async Task<Post> DeactivateAsync(string postId, string activeTo, string reason, CallerScope caller, CancellationToken ct)
    {
        var to = ProtoMapping.ParseDate(activeTo, "active_to");
        return await WriteAsync(
            async () =>
            {
                var post = await FindAsync(postId, ct);
                if (to < post.ActiveFrom)
                {
                    throw RpcErrors.InvalidField("active_to", "DATE_INVALIDE", $"Le poste est actif depuis le {Iso(post.ActiveFrom)} : il ne peut pas fermer avant.");
                }

                if (post.Assignments.Any(a => a.ValidFrom > to))
                {
                    throw RpcErrors.InvalidField("active_to", "DATE_INVALIDE", "Un rattachement du poste commence après cette date : fermez le poste après son dernier rattachement.");
                }

                post.ActiveTo = to;
                foreach (var assignment in post.Assignments.Where(a => a.ValidTo is null || a.ValidTo > to))
                {
                    assignment.ValidTo = to;
                }

                db.AuditEntries.Add(audit.Entry(caller, AuditActions.PostDeactivated, post.Id, post.Id, $"inactif après le {Iso(to)}. {reason}".Trim()));
                return post.Id;
            },
            ct);
    }

    public async Task<Post> MoveAsync(string postId, string departmentCode, string fromText, string reason, CallerScope caller, CancellationToken ct)
    {
        var from = ProtoMapping.ParseDate(fromText, "from");
        var department = departmentCode.ToUpperInvariant();
        return await WriteAsync(
            async () =>
            {
                var post = await FindAsync(postId, ct);
                await RequireDepartmentAsync(department, "department_code", ct);
                var current = post.Assignments.OrderBy(a => a.ValidFrom).Last();
                if (current.DepartmentCode == department)
                {
                    throw RpcErrors.InvalidField("department_code", "DEPARTEMENT_INCHANGE", $"Le poste est déjà rattaché au département {department}.");
                }

                if (post.ActiveTo is { } closed && from > closed)
                {
                    throw RpcErrors.InvalidField("from", "DATE_INVALIDE", $"Le poste est fermé depuis le {Iso(closed)} : il ne peut plus être déplacé après.");
                }

                if (from <= current.ValidFrom)
                {
                    throw RpcErrors.InvalidField("from", "DATE_INVALIDE", $"Le rattachement actuel commence le {Iso(current.ValidFrom)} : le déplacement doit commencer après.");
                }

                current.ValidTo = from.AddDays(-1);
                db.PostAssignments.Add(new PostAssignment { PostId = post.Id, DepartmentCode = department, ValidFrom = from, ValidTo = post.ActiveTo });
                post.DepartmentCode = department;
                db.AuditEntries.Add(audit.Entry(caller, AuditActions.PostMoved, post.Id, post.Id, $"{current.DepartmentCode} → {department} au {Iso(from)}. {reason}".Trim()));
                return post.Id;
            },
            ct);
    }

    private async Task<Post> WriteAsync(Func<Task<string>> change, CancellationToken ct)
    {
        await writeLock.Semaphore.WaitAsync(ct);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await ChangeFeed.BumpRegistryAsync(db, ct);
            var id = await change();
            await db.SaveChangesAsync(ct);

            // The post as it now stands, recorded with the change: figures as of an earlier instant keep the version before.
            await RegistryHistory.RecordAsync(db, id, clock.GetUtcNow().UtcDateTime, ct);

            // From the commit on, the caller's token is not heeded: a change the database holds is always followed by the
            // reload below, or the server would refuse grids of a post it has just added until its next start.
            await transaction.CommitAsync(CancellationToken.None);
            db.ChangeTracker.Clear();

            // Before the administrator hears back: the next submission and the next query both see the change.
            await feed.ReloadRegistryAsync(CancellationToken.None);
            return await db.Posts.AsNoTracking().Include(p => p.Department).FirstAsync(p => p.Id == id, CancellationToken.None);
        }
        finally
        {
            writeLock.Semaphore.Release();
        }
    }

    private async Task<Post> FindAsync(string postId, CancellationToken ct) =>
        await db.Posts.Include(p => p.Assignments).FirstOrDefaultAsync(p => p.Id == postId, ct)
            ?? throw RpcErrors.NotFound($"Le poste « {postId} » n'existe pas dans le registre.");

    private async Task RequireDepartmentAsync(string code, string field, CancellationToken ct)
    {
        if (code.Length == 0 || !await db.Departments.AnyAsync(d => d.Code == code, ct))
        {
            throw RpcErrors.InvalidField(field, "DEPARTEMENT_INCONNU", $"Le département « {code} » n'existe pas.");
        }
    }

    private static void CheckName(string name, string field)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > DataLimits.Name)
        {
            throw RpcErrors.InvalidField(field, "POSTE_NOM", $"Le nom du poste est obligatoire ({DataLimits.Name} caractères au plus).");
        }

        if (Core.Validation.ClientText.StartsLikeAFormula(name))
        {
            throw RpcErrors.InvalidField(field, "POSTE_NOM", "Le nom du poste ne commence pas par « = », « + », « - » ou « @ » : un tableur qui ouvre un export le prendrait pour une formule.");
        }
    }

    /// <summary>A hundredth of a full-time post at least: the rates per ETP stay numbers a reader can read.</summary>
    private static void CheckFte(double fte, string field)
    {
        if (!(fte >= 0.01 && fte <= 2))
        {
            throw RpcErrors.InvalidField(field, "POSTE_ETP", "L'équivalent temps plein va de 0,01 à 2.");
        }
    }

    private static string Iso(DateOnly date) => ProtoMapping.Iso(date);
}
