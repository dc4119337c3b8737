using Observatoire.Core.Periods;

namespace Observatoire.Data.Entities;

/// <summary>
/// One stored version of a post's statistical grid for one period. Revisions count from 1; the current one, the one that
/// counts, is the highest (a correction always gets the next number; see <see cref="GridRevisionQueries.Latest"/>).
/// </summary>
public class GridRevision
{
    /// <summary>Surrogate key (autoincrement).</summary>
    public long Id { get; set; }

    /// <summary>The post that filed the grid.</summary>
    public required string PostId { get; set; }

    /// <summary>Canonical period text: "2025-03", "2025-T1" or "2025".</summary>
    public required string Period { get; set; }

    /// <summary>Kind of <see cref="Period"/>.</summary>
    public required PeriodKind PeriodKind { get; set; }

    /// <summary>First day of the period.</summary>
    public required DateOnly PeriodStart { get; set; }

    /// <summary>Last day of the period.</summary>
    public required DateOnly PeriodEnd { get; set; }

    /// <summary>Revision number for (post, period), from 1.</summary>
    public required int Revision { get; set; }

    /// <summary>Department the post was assigned to for the period (denormalized for consolidation).</summary>
    public required string DepartmentCode { get; set; }

    /// <summary>Version of the grid schema the cells follow.</summary>
    public required string SchemaVersion { get; set; }

    /// <summary>Identifier of the client that sent the grid.</summary>
    public required string ClientId { get; set; }

    /// <summary>The submission that created this revision.</summary>
    public required string SubmissionId { get; set; }

    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public required string ContentHash { get; set; }

    /// <summary>When the server received it (UTC).</summary>
    public required DateTime ReceivedAtUtc { get; set; }

    /// <summary>Optional free comment from the post.</summary>
    public string? Comment { get; set; }

    /// <summary>Encoded cell vector (opaque here, produced by Core).</summary>
    public required byte[] Cells { get; set; }

    /// <summary>Validation warnings as JSON (opaque here, produced by the server).</summary>
    public string WarningsJson { get; set; } = "[]";

    /// <summary>
    /// Position in the change feed: the batch's change id, increasing in commit order. On SQLite (one writer) it is
    /// inserted with the row; on PostgreSQL the row is inserted with 0 and stamped just before the commit (see
    /// <see cref="GridChangeFeed"/> and <see cref="IStorageDialect.NumbersChangesAtInsert"/>).
    /// </summary>
    public long ChangeId { get; set; }

    /// <summary>The post.</summary>
    public Post Post { get; set; } = null!;

    /// <summary>Every accepted submission id that resolved to this revision.</summary>
    public ICollection<Submission> Submissions { get; set; } = [];
}
