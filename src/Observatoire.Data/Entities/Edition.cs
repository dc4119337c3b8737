namespace Observatoire.Data.Entities;

/// <summary>A named edition: a year's figures frozen at a cut-off instant, with the checksums of the files it produced.</summary>
public class Edition
{
    /// <summary>Surrogate key (autoincrement).</summary>
    public long Id { get; set; }

    /// <summary>The edition's name, unique ("2026-03").</summary>
    public required string Name { get; set; }

    /// <summary>The year of the figures.</summary>
    public required int Year { get; set; }

    /// <summary>Only grid revisions received by this instant count (UTC).</summary>
    public required DateTime CutOffUtc { get; set; }

    /// <summary>When it was published (UTC).</summary>
    public required DateTime CreatedAtUtc { get; set; }

    /// <summary>The id of the key that published it.</summary>
    public required string CreatedBy { get; set; }

    /// <summary>The files it produced, with their checksums.</summary>
    public ICollection<EditionFile> Files { get; set; } = [];
}

/// <summary>A file produced by an edition: regenerating it at the edition's cut-off gives the same bytes.</summary>
public class EditionFile
{
    public long Id { get; set; }

    public long EditionId { get; set; }

    /// <summary>"rapport-annuel-2025.pdf", "donnees-ouvertes-2025.zip".</summary>
    public required string FileName { get; set; }

    /// <summary>Lower-case hex SHA-256 of the file.</summary>
    public required string Sha256 { get; set; }

    /// <summary>Its size in bytes.</summary>
    public required long Bytes { get; set; }
}
