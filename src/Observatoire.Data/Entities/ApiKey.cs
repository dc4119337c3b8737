using Observatoire.Core.Access;

namespace Observatoire.Data.Entities;

/// <summary>An API key issued by an administrator. Only a salted PBKDF2 hash of its secret is stored.</summary>
public class ApiKey
{
    /// <summary>Public key id, the lookup prefix of the key ("obs_&lt;id&gt;_&lt;secret&gt;"): 12 lower-case letters or digits.</summary>
    public required string Id { get; set; }

    /// <summary>Free label (who holds the key).</summary>
    public string? Name { get; set; }

    /// <summary>The role the key grants.</summary>
    public required Role Role { get; set; }

    /// <summary>Post ids of a "poste" key, separated by commas; empty otherwise.</summary>
    public string Posts { get; set; } = "";

    /// <summary>Scope of an "analyste" key ("national", "region:76", "departement:48"); null otherwise.</summary>
    public string? Scope { get; set; }

    /// <summary>Random salt of the hash.</summary>
    public required byte[] Salt { get; set; }

    /// <summary>PBKDF2-SHA256 of the secret.</summary>
    public required byte[] Hash { get; set; }

    /// <summary>PBKDF2 iterations used for <see cref="Hash"/>.</summary>
    public int Iterations { get; set; }

    /// <summary>When the key was issued (UTC).</summary>
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>The key id of the administrator who issued it ("bootstrap" for the configured first key).</summary>
    public string CreatedBy { get; set; } = "";

    /// <summary>From this instant the key is refused (UTC); null: never expires.</summary>
    public DateTime? ExpiresAtUtc { get; set; }

    /// <summary>When the key was revoked (UTC); null while valid.</summary>
    public DateTime? RevokedAtUtc { get; set; }

    /// <summary>Last successful authentication (UTC, updated at most once a minute).</summary>
    public DateTime? LastUsedAtUtc { get; set; }
}
