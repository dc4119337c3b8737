namespace Observatoire.Data.Entities;

/// <summary>An accepted submission id; several ids may point at the same revision when identical content is resubmitted.</summary>
public class Submission
{
    /// <summary>Client-chosen submission id (idempotency key), at most 128 characters.</summary>
    public required string SubmissionId { get; set; }

    /// <summary>The revision the submission created or matched.</summary>
    public long GridRevisionId { get; set; }

    /// <summary>The post that submitted.</summary>
    public required string PostId { get; set; }

    /// <summary>Canonical period text.</summary>
    public required string Period { get; set; }

    /// <summary>Lower-case hex SHA-256 of the submitted content.</summary>
    public required string ContentHash { get; set; }

    /// <summary>Identifier of the client that sent it.</summary>
    public required string ClientId { get; set; }

    /// <summary>When the server received it (UTC).</summary>
    public required DateTime ReceivedAtUtc { get; set; }

    /// <summary>The revision (set this instead of <see cref="GridRevisionId"/> when the revision is new in the same save).</summary>
    public GridRevision GridRevision { get; set; } = null!;
}
