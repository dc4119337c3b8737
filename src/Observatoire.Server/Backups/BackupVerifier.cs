using Observatoire.Core.Schemas;

namespace Observatoire.Server.Backups;

/// <summary>
/// Proves a snapshot before it is restored: the file is sound (PRAGMA integrity_check), and its checksum, size,
/// schema version, every table's count and every national figure are those its manifest declared.
/// </summary>
public static class BackupVerifier
{
    /// <summary>The problems found, in French; empty when the snapshot is what its manifest says.</summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(string path, BackupManifest declared, SchemaCatalog catalog, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(declared);
        if (!File.Exists(path))
        {
            return [$"Le fichier {path} n'existe pas."];
        }

        var problems = new List<string>();
        var (sha, size) = await DatabaseSnapshot.ChecksumAsync(path, ct);
        if (sha != declared.Sha256 || size != declared.SizeBytes)
        {
            problems.Add($"Somme de contrôle ou taille différente du manifeste : fichier {sha} ({size} octets), manifeste {declared.Sha256} ({declared.SizeBytes} octets).");
        }

        string integrity;
        try
        {
            integrity = await DatabaseSnapshot.IntegrityAsync(path, ct);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            problems.Add($"Le fichier n'est pas une base SQLite lisible (SQLite {e.SqliteErrorCode}).");
            return problems;
        }

        if (integrity != "ok")
        {
            problems.Add($"PRAGMA integrity_check : {integrity}");
            return problems;
        }

        BackupManifest found;
        try
        {
            found = await DatabaseSnapshot.DescribeAsync(path, catalog, ct);
        }
        catch (InvalidDataException e)
        {
            // A grid of a version the verifier does not know (the server read it from its grid folder).
            problems.Add($"{e.Message} Donnez au vérificateur le dossier de grilles du serveur ({Grids.SchemaFolder.Setting}).");
            return problems;
        }

        if (found.SchemaVersion != declared.SchemaVersion)
        {
            problems.Add($"Version du schéma de la base : {found.SchemaVersion}, manifeste : {declared.SchemaVersion}.");
        }

        foreach (var table in declared.Counts.Keys.Union(found.Counts.Keys).Order(StringComparer.Ordinal))
        {
            var expected = declared.Counts.GetValueOrDefault(table, -1);
            var actual = found.Counts.GetValueOrDefault(table, -1);
            if (expected != actual)
            {
                problems.Add($"Table {table} : {Count(actual)} lignes, manifeste : {Count(expected)}.");
            }
        }

        var declaredFigures = declared.NationalFigures.ToDictionary(f => (f.Period, f.GridSchemaVersion));
        var foundFigures = found.NationalFigures.ToDictionary(f => (f.Period, f.GridSchemaVersion));
        foreach (var key in declaredFigures.Keys.Union(foundFigures.Keys).Order())
        {
            var expected = declaredFigures.GetValueOrDefault(key);
            var actual = foundFigures.GetValueOrDefault(key);
            if (expected is null || actual is null || expected.Grids != actual.Grids)
            {
                problems.Add($"Période {key.Period} (grille {key.GridSchemaVersion}) : {actual?.Grids ?? 0} grilles courantes, manifeste : {expected?.Grids ?? 0}.");
                continue;
            }

            foreach (var cell in expected.Totals.Keys.Union(actual.Totals.Keys).Order(StringComparer.Ordinal))
            {
                if (expected.Totals.GetValueOrDefault(cell) != actual.Totals.GetValueOrDefault(cell))
                {
                    problems.Add($"Période {key.Period}, {cell} : {actual.Totals.GetValueOrDefault(cell)} au niveau national, manifeste : {expected.Totals.GetValueOrDefault(cell)}.");
                }
            }
        }

        return problems;
    }

    private static string Count(long value) => value < 0 ? "absente" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
