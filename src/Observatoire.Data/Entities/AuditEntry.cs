namespace Observatoire.Data.Entities;

/// <summary>One line of the append-only audit log: who (key id, never the key), when, from where, what.</summary>
public class AuditEntry
{
    /// <summary>Sequence number.</summary>
    public long Id { get; set; }

    /// <summary>When it happened (UTC).</summary>
    public DateTime AtUtc { get; set; }

    /// <summary>The key id of the caller.</summary>
    public required string KeyId { get; set; }

    /// <summary>The caller's address as the server saw it.</summary>
    public required string RemoteAddress { get; set; }

    /// <summary>Action code, e.g. "grille.depot", "cle.revocation", "lecture.brute".</summary>
    public required string Action { get; set; }

    /// <summary>What it applied to, e.g. "P-01-001 2025-03 r2", a key id, an area.</summary>
    public required string Target { get; set; }

    /// <summary>The post concerned, when there is one (for filtering).</summary>
    public string? PostId { get; set; }

    /// <summary>Free detail (a reason, an RPC name).</summary>
    public string? Detail { get; set; }
}
