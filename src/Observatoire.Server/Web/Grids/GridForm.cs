using System.Globalization;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;

namespace Observatoire.Server.Web.Grids;

/// <summary>One block of a form section: an indicator's total field, or a breakdown table (one or two dimensions).</summary>
public abstract record FormBlock(string Id, string Label);

/// <summary>A single field for an indicator's total.</summary>
public sealed record TotalField(string Id, string Label, string Description, string Key) : FormBlock(Id, Label);

/// <summary>
/// A breakdown as a table: rows are the first dimension's options, columns the second's (one "Nombre"
/// column for one dimension). <see cref="Keys"/>[row][column] is the cell key, null where the schema has no cell.
/// </summary>
public sealed record BreakdownTable(
    string Id,
    string Label,
    string RowHeader,
    IReadOnlyList<DimensionOption> Rows,
    IReadOnlyList<DimensionOption> Columns,
    IReadOnlyList<IReadOnlyList<string?>> Keys,
    string TotalKey,
    bool SumsToTotal) : FormBlock(Id, Label);

/// <summary>A section of the paper form and its blocks, in schema order.</summary>
public sealed record FormSection(string Code, string Label, IReadOnlyList<FormBlock> Blocks);

/// <summary>
/// The grid form generated from a schema: nothing here knows a cell code. Field names are the cell keys;
/// a violation is shown beside the field or table its path names.
/// </summary>
public sealed class GridForm
{
    public const string FieldPrefix = "v:";

    public const string CommentField = "commentaire";

    private GridForm(GridSchema schema, IReadOnlyList<FormSection> sections)
    {
        Schema = schema;
        Sections = sections;
    }

    public GridSchema Schema { get; }

    public IReadOnlyList<FormSection> Sections { get; }

    public static GridForm For(GridSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var sections = new List<FormSection>();
        foreach (var section in schema.Sections)
        {
            var blocks = new List<FormBlock>();
            foreach (var indicator in schema.Indicators)
            {
                if (indicator.Section == section.Code && indicator.HasTotal)
                {
                    blocks.Add(new TotalField(IdOf(indicator.Code), indicator.Label, indicator.Description, indicator.Code));
                }

                foreach (var breakdown in indicator.Breakdowns.Where(b => b.Section == section.Code))
                {
                    blocks.Add(Table(schema, indicator, breakdown));
                }
            }

            sections.Add(new FormSection(section.Code, section.Label, blocks));
        }

        return new GridForm(schema, sections);
    }

    /// <summary>The id of the field or table a violation path designates ("entretiens", "entretiens[modalite=*]", "comment").</summary>
    public static string AnchorOf(GridSchema schema, string path)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (path == "comment")
        {
            return CommentField;
        }

        if (!CellKey.TryParse(path.Replace("=*", "=_", StringComparison.Ordinal), out var key))
        {
            return "";
        }

        if (key.IsTotal)
        {
            return IdOf(key.Indicator);
        }

        var dimensions = key.Coordinates.Select(c => c.Key).ToList();
        return schema.IndicatorsByCode.TryGetValue(key.Indicator, out var indicator) && indicator.BreakdownFor(dimensions) is { } breakdown
            ? TableId(indicator, breakdown)
            : "";
    }

    /// <summary>Reads the posted fields: integers by cell key, and the fields that are not integers (a typing mistake, said in French).</summary>
    public (Dictionary<string, long> Values, List<Violation> Typing) Read(IEnumerable<KeyValuePair<string, string?>> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        var typing = new List<Violation>();
        foreach (var (name, raw) in form)
        {
            if (!name.StartsWith(FieldPrefix, StringComparison.Ordinal) || string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            var key = name[FieldPrefix.Length..];
            if (!Schema.Layout.TryGetIndex(key, out _))
            {
                continue;
            }

            var text = raw.Trim().Replace("\u00a0", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                values[key] = value;
            }
            else
            {
                typing.Add(new Violation("SAISIE_NON_ENTIERE", key, $"« {Core.Validation.ClientText.Quote(raw, 20)} » n'est pas un nombre entier positif.", Severity.Error));
            }
        }

        return (values, typing);
    }

    public static string IdOf(string cellKey) =>
        "c-" + new string([.. cellKey.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_' ? ch : '-')]);

    private static string TableId(Indicator indicator, Breakdown breakdown) => $"t-{indicator.Code}-{breakdown.Code}";

    private static BreakdownTable Table(GridSchema schema, Indicator indicator, Breakdown breakdown)
    {
        var cells = schema.Layout.CellsOf(indicator, breakdown).ToDictionary(c => string.Join('|', c.Options.Select(o => o.Code)), c => c.Key);
        var rows = breakdown.Dimensions[0].Options;
        var columns = breakdown.Dimensions.Count > 1 ? breakdown.Dimensions[1].Options : [new DimensionOption("", "Nombre")];
        var keys = rows.Select(r => (IReadOnlyList<string?>)[.. columns.Select(c =>
            cells.GetValueOrDefault(breakdown.Dimensions.Count > 1 ? $"{r.Code}|{c.Code}" : r.Code))]).ToList();
        return new BreakdownTable(TableId(indicator, breakdown), breakdown.Label, breakdown.Dimensions[0].Label, rows, columns, keys, indicator.Code, breakdown.SumsToTotal);
    }
}
