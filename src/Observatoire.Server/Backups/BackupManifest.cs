using System.Text.Json;
using System.Text.Json.Serialization;

namespace Observatoire.Server.Backups;

/// <summary>
/// What a snapshot declares about itself, written beside it (FILE.manifest.json): checksum and size of the file, the
/// schema version (last applied migration), the row count of every table and the national figures (for each period
/// and grid schema version: the number of current grids and the sum of every indicator's total over them).
/// </summary>
public sealed record BackupManifest
{
    /// <summary>Format of this manifest.</summary>
    public int Format { get; init; } = 1;

    public DateTime CreatedAtUtc { get; init; }

    /// <summary>Version of the server that made the snapshot.</summary>
    public string ServerVersion { get; init; } = "";

    /// <summary>Last applied EF Core migration: the database schema version.</summary>
    public string SchemaVersion { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 of the snapshot file.</summary>
    public string Sha256 { get; init; } = "";

    public long SizeBytes { get; init; }

    /// <summary>Rows of each table, by table name.</summary>
    public SortedDictionary<string, long> Counts { get; init; } = new(StringComparer.Ordinal);

    /// <summary>National figures of the current grids, ordered by period then schema version.</summary>
    public List<NationalFigures> NationalFigures { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a manifest; null when the text is not one.</summary>
    public static BackupManifest? FromJson(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<BackupManifest>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The current grids of one period and schema version, nationally: how many, and each indicator's total summed.</summary>
public sealed record NationalFigures
{
    public string Period { get; init; } = "";

    public string GridSchemaVersion { get; init; } = "";

    public long Grids { get; init; }

    public SortedDictionary<string, long> Totals { get; init; } = new(StringComparer.Ordinal);
}
