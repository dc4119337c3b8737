namespace Observatoire.Workbooks;

/// <summary>Where the cells of one period sheet are: turns a violation's path into a place a person finds ("'Mars'!B12").</summary>
public sealed class SheetCells(string sheet, IReadOnlyDictionary<string, string> addresses, string? commentAddress, string? postReference)
{
    /// <summary>The sheet name.</summary>
    public string Sheet { get; } = sheet;

    /// <summary>
    /// The place of a path: a cell, the range of the cells a pattern names ("'Mars'!B15:B18"), the comment, the post id
    /// on the guide sheet, or the sheet itself for the period and the schema version; null when the path is unknown.
    /// </summary>
    public string? Locate(string path)
    {
        switch (path)
        {
            case "comment":
                return commentAddress is null ? null : WorkbookFormat.Reference(Sheet, commentAddress);
            case "post_id":
                return postReference;
            case "period" or "schema_version":
                return $"'{Sheet.Replace("'", "''", StringComparison.Ordinal)}'";
        }

        if (addresses.TryGetValue(path, out var address))
        {
            return WorkbookFormat.Reference(Sheet, address);
        }

        if (CellPattern.TryParse(path) is not { } pattern)
        {
            return null;
        }

        var matched = addresses.Where(a => pattern.Matches(a.Key)).Select(a => Split(a.Value)).ToList();
        if (matched.Count == 0)
        {
            return null;
        }

        var first = $"{Column(matched.Min(m => m.Column))}{matched.Min(m => m.Row)}";
        var last = $"{Column(matched.Max(m => m.Column))}{matched.Max(m => m.Row)}";
        return WorkbookFormat.Reference(Sheet, first == last ? first : $"{first}:{last}");
    }

    private static (int Column, int Row) Split(string address)
    {
        var column = 0;
        var i = 0;
        for (; i < address.Length && char.IsAsciiLetterUpper(address[i]); i++)
        {
            column = (column * 26) + (address[i] - 'A' + 1);
        }

        return (column, int.TryParse(address.AsSpan(i), out var row) ? row : 0);
    }

    private static string Column(int number)
    {
        var letters = "";
        for (; number > 0; number = (number - 1) / 26)
        {
            letters = (char)('A' + ((number - 1) % 26)) + letters;
        }

        return letters;
    }
}
