using Observatoire.Protos.V1;
using Observatoire.Workbooks;

namespace Observatoire.Cli.Grids;

/// <summary>A grid read from a file, with where it came from.</summary>
/// <param name="Grid">The grid, ready to send.</param>
/// <param name="File">The file path as given on the command line.</param>
/// <param name="Index">1-based position of the grid in the file.</param>
/// <param name="Line">1-based line where the grid starts (JSON object or first CSV row).</param>
public sealed record GridEntry(Grid Grid, string File, int Index, int Line)
{
    /// <summary>The workbook sheet the grid was read from, when it comes from a workbook.</summary>
    public string? Sheet { get; init; }

    /// <summary>Where a cell path of the grid is in its file ("'Mars'!B12"), when the file has such places (workbooks).</summary>
    public Func<string, string?>? Locate { get; init; }

    /// <summary>The schema fingerprint a workbook sheet was generated for (<see cref="SchemaCells.Fingerprint"/>).</summary>
    public string? SchemaFingerprint { get; init; }

    /// <summary>Says where the grid comes from when it is not a file position (a grid of the outbox).</summary>
    public string? Description { get; init; }

    /// <summary>Short French description of the grid's origin, e.g. "exemple.json, grille 2, ligne 14" or "grille-2025.xlsx, feuille « Mars »".</summary>
    public string Source => Description ?? (Sheet is null ? $"{File}, grille {Index}, ligne {Line}" : $"{File}, feuille « {Sheet} »");

    /// <summary>"P-09-001 · 2025-03".</summary>
    public string Label => GridLabels.Of(Grid.PostId, Grid.Period);
}

/// <summary>A problem found while reading a grid file, in French.</summary>
/// <param name="File">The file path as given on the command line.</param>
/// <param name="Line">1-based line of the problem, when known.</param>
/// <param name="Field">The field or cell concerned ("post_id", "personnes_recues[statut=victime]"), when known.</param>
/// <param name="Message">French description of the problem.</param>
/// <param name="GridIndex">1-based index of the grid the problem belongs to; null for a problem of the whole file.</param>
/// <param name="Place">Where in the file, for workbooks: "'Mars'!B12".</param>
public sealed record GridFileError(string File, int? Line, string? Field, string Message, int? GridIndex = null, string? Place = null)
{
    /// <summary>"fichier.csv, ligne 7, cellule « x » : message".</summary>
    public override string ToString()
    {
        var location = File;
        if (Line is { } line)
        {
            location += $", ligne {line}";
        }

        if (!string.IsNullOrEmpty(Place))
        {
            location += $", {Place}";
        }

        if (!string.IsNullOrEmpty(Field))
        {
            location += $", champ « {Field} »";
        }

        return $"{location} : {Message}";
    }
}

/// <summary>What one grid file yielded: the grids that can be sent and the problems found.</summary>
public sealed class GridFileResult
{
    /// <summary>Creates a result.</summary>
    public GridFileResult(string file, IReadOnlyList<GridEntry> grids, IReadOnlyList<GridFileError> errors, int invalidGridCount)
    {
        File = file;
        Grids = grids;
        Errors = errors;
        InvalidGridCount = invalidGridCount;
    }

    /// <summary>The file path as given.</summary>
    public string File { get; }

    /// <summary>Grids read without error, in file order. Grids with an error are left out.</summary>
    public IReadOnlyList<GridEntry> Grids { get; }

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<GridFileError> Errors { get; }

    /// <summary>Number of grids left out because of an error in them.</summary>
    public int InvalidGridCount { get; }

    /// <summary>
    /// Number of rejections the file counts for: one per grid left out, plus one per problem of the whole file
    /// (unreadable file, syntax error, bad header, no grid at all).
    /// </summary>
    public int RejectionCount => InvalidGridCount + Errors.Count(e => e.GridIndex is null);

    /// <summary>True when the file was read without any problem.</summary>
    public bool Success => Errors.Count == 0;

    /// <summary>A result for a file that yielded nothing but one file-level error.</summary>
    public static GridFileResult Failed(string file, int? line, string message) =>
        new(file, [], [new GridFileError(file, line, null, message)], 0);
}

/// <summary>Formatting helpers shared by readers and commands.</summary>
public static class GridLabels
{
    /// <summary>"P-09-001 · 2025-03", with placeholders for missing parts.</summary>
    public static string Of(string? postId, string? period) =>
        $"{(string.IsNullOrEmpty(postId) ? "(poste ?)" : postId)} · {(string.IsNullOrEmpty(period) ? "(période ?)" : period)}";
}
