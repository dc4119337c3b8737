using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Validation;

/// <summary>The outcome of validating a grid: every violation, and the canonical grid when it has no error.</summary>
public sealed record ValidationResult(IReadOnlyList<Violation> Violations, NormalizedGrid? Grid)
{
    public bool IsValid => Grid is not null;

    public IEnumerable<Violation> Errors => Violations.Where(v => v.IsError);

    public IEnumerable<Violation> Warnings => Violations.Where(v => !v.IsError);
}

/// <summary>
/// Checks a grid against its schema version: the post and period, every cell's address and value,
/// the declared rules, the anonymity of the comment, and unusual values against the post's history.
/// It reports every violation at once.
/// </summary>
public sealed partial class GridValidator(SchemaCatalog catalog)
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public ValidationResult Validate(GridInput grid, ValidationContext context)
    {
        var violations = new List<Violation>();
        var parsedPeriod = Period.TryParse(grid.Period, out var period) ? period : (Period?)null;
        var declared = catalog.Find(grid.SchemaVersion);
        var schema = declared is not null && (parsedPeriod is null || declared.Covers(parsedPeriod.Value))
            ? declared
            : (parsedPeriod is null ? null : catalog.Covering(parsedPeriod.Value)) ?? declared ?? catalog.Latest;

        void Add(CheckKind kind, string path, object? value = null, string? matched = null, params (string Name, object? Value)[] extra)
        {
            var check = schema.Check(kind);
            var arguments = new List<(string, object?)>
            {
                ("value", value),
                ("max", schema.Limits.MaxValue),
                ("period", grid.Period),
                ("version", schema.Version),
            };
            arguments.AddRange(extra);
            // A cell path is the client's map key: quoted, never echoed whole.
            violations.Add(new Violation(check.Code, ClientText.Quote(path, 200), Format(check.Message, arguments), check.Severity, matched));
        }

        CheckPost(grid, context, parsedPeriod, Add);
        CheckPeriod(grid, context, parsedPeriod, Add);

        if (declared is null || (parsedPeriod is not null && !declared.Covers(parsedPeriod.Value)))
        {
            var covering = parsedPeriod is null ? null : catalog.Covering(parsedPeriod.Value);
            Add(CheckKind.SchemaVersion, "schema_version", grid.SchemaVersion, extra: ("expected", covering?.Version ?? "aucune"));
        }

        var cells = new long[schema.Layout.Count];
        var present = new bool[schema.Layout.Count];
        foreach (var (rawKey, value) in grid.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var index = ResolveCell(schema, rawKey, Add);
            if (index is null)
            {
                continue;
            }

            if (present[index.Value])
            {
                Add(CheckKind.MalformedCell, rawKey, rawKey);
                continue;
            }

            present[index.Value] = true;
            cells[index.Value] = value;
            if (value < 0 || value > schema.Limits.MaxValue)
            {
                Add(CheckKind.ValueRange, rawKey, value);
            }
        }

        var missingTotals = new HashSet<int>();
        foreach (var cell in schema.Layout.Cells.Where(c => c.IsTotal && !present[c.Index]))
        {
            missingTotals.Add(cell.Index);
            Add(CheckKind.RequiredTotal, cell.Key, cell.Key);
        }

        foreach (var rule in schema.Rules)
        {
            // A rule about a missing total would only repeat the missing-total error.
            if (missingTotals.Count > 0 && rule.Expression.ReferencedCells.Any(missingTotals.Contains))
            {
                continue;
            }

            var outcome = rule.Expression.Evaluate(cells);
            if (!outcome.Ok)
            {
                violations.Add(new Violation(
                    rule.Code,
                    rule.Path,
                    Format(rule.Message, [("left", outcome.Left), ("right", outcome.Right)]),
                    rule.Severity));
            }
        }

        CheckComment(grid.Comment, schema, Add);
        CheckHistory(schema, cells, present, context.History, Add);
        if (parsedPeriod is { } year && context.SameYear is { Count: > 0 } sameYear)
        {
            foreach (var finding in BilanCoherence.Check(schema, year, cells, sameYear))
            {
                violations.Add(new Violation(
                    finding.Check.Code,
                    finding.CellKey,
                    Format(finding.Check.Message, [
                        ("value", finding.Value),
                        ("expected", finding.Expected),
                        ("count", finding.Count),
                        ("periods", finding.Periods),
                        ("cell", finding.CellKey)]),
                    finding.Check.Severity));
            }
        }

        var hasError = violations.Any(v => v.IsError);
        var normalized = hasError
            ? null
            : new NormalizedGrid(grid.PostId, parsedPeriod!.Value, schema, [.. cells.Select(v => (int)v)], grid.Comment);
        return new ValidationResult(violations, normalized);
    }

    private delegate void Reporter(CheckKind kind, string path, object? value = null, string? matched = null, params (string Name, object? Value)[] extra);

    private static void CheckPost(GridInput grid, ValidationContext context, Period? period, Reporter add)
    {
        if (context.Post is null)
        {
            add(CheckKind.UnknownPost, "post_id", grid.PostId);
            return;
        }

        if (period is { } p && (p.End < context.Post.ActiveFrom || (context.Post.ActiveTo is { } to && p.Start > to)))
        {
            add(CheckKind.InactivePost, "post_id", grid.PostId);
        }
    }

    private void CheckPeriod(GridInput grid, ValidationContext context, Period? period, Reporter add)
    {
        if (period is not { } p)
        {
            add(CheckKind.PeriodFormat, "period", grid.Period);
            return;
        }

        if (p.End > context.Today)
        {
            add(CheckKind.FuturePeriod, "period", grid.Period);
        }

        // Every post sends its yearly bilan whatever its frequency, when the schema has one.
        var yearlyBilan = p.Kind == PeriodKind.Year && (catalog.Covering(p) ?? catalog.Find(grid.SchemaVersion))?.YearlyBilan is not null;
        if (context.Post is { } post && p.Kind != post.Frequency.PeriodKind() && !yearlyBilan)
        {
            var expected = post.Frequency switch
            {
                ReportingFrequency.Month => "mois",
                ReportingFrequency.Quarter => "trimestre",
                _ => "année",
            };
            add(CheckKind.PostFrequency, "period", grid.Period, extra: ("expected", expected));
        }
    }

    private static int? ResolveCell(GridSchema schema, string rawKey, Reporter add)
    {
        // The common case: a client (the CLI, the workbook, the simulator) sends the canonical key itself.
        if (schema.Layout.TryGetIndex(rawKey, out var canonicalIndex))
        {
            return canonicalIndex;
        }

        if (!CellKey.TryParse(rawKey, out var key) || key.Coordinates.Any(c => c.Value == "*"))
        {
            add(CheckKind.MalformedCell, rawKey, rawKey);
            return null;
        }

        if (!schema.IndicatorsByCode.TryGetValue(key.Indicator, out var indicator))
        {
            add(CheckKind.UnknownIndicator, rawKey, key.Indicator);
            return null;
        }

        string canonical;
        if (key.IsTotal)
        {
            canonical = key.Indicator;
        }
        else
        {
            var breakdown = indicator.BreakdownFor(key.Coordinates.Select(c => c.Key).ToList());
            var lookup = key.Coordinates.ToDictionary(c => c.Key, c => c.Value);
            if (breakdown is null || breakdown.Dimensions.Any(d => !d.HasOption(lookup[d.Code])))
            {
                add(CheckKind.UnknownOption, rawKey, rawKey);
                return null;
            }

            canonical = CellKey.Format(indicator.Code, breakdown.Dimensions.Select(d => new KeyValuePair<string, string>(d.Code, lookup[d.Code])));
        }

        if (!schema.Layout.TryGetIndex(canonical, out var index))
        {
            // A total on an indicator that only has breakdown cells.
            add(CheckKind.UnknownOption, rawKey, rawKey);
            return null;
        }

        return index;
    }

    private static void CheckComment(string? comment, GridSchema schema, Reporter add)
    {
        if (string.IsNullOrEmpty(comment))
        {
            return;
        }

        // Characters as a reader counts them, and bytes as the database stores them: a flood of combining
        // marks is one character but thousands of bytes.
        var limits = schema.Limits;
        var length = new StringInfo(comment).LengthInTextElements;
        var bytes = Encoding.UTF8.GetByteCount(comment);
        if (length > limits.MaxCommentLength || bytes > limits.MaxCommentBytes)
        {
            add(CheckKind.CommentLength, "comment", length, extra: [("max", limits.MaxCommentLength), ("bytes", bytes), ("max_bytes", limits.MaxCommentBytes)]);

            // An oversized text is not searched: the guard's cost stays bounded by the limit.
            return;
        }

        // The violation says where, never what: the personal data found must not travel further
        // (status, logs) than the client that sent it needs to find it again.
        foreach (var span in AnonymityGuard.Scan(comment))
        {
            add(span.Kind, "comment", span.Location, span.Location);
        }
    }

    private static void CheckHistory(
        GridSchema schema,
        long[] current,
        bool[] present,
        IReadOnlyList<IReadOnlyDictionary<string, long>> history,
        Reporter add)
    {
        var limits = schema.Limits;
        if (history.Count < limits.OutlierMinHistory)
        {
            return;
        }

        var recent = history.Count > limits.OutlierHistory ? history.Take(limits.OutlierHistory).ToList() : history;
        var past = new long[recent.Count];

        // Each indicator once: its total, or the sum of its options when it has no total (problématiques,
        // orientations). Single small breakdown cells would flag noise, not suspicious grids.
        foreach (var (indicator, cells) in OutlierCells.GetValue(schema, ComputeOutlierCells))
        {
            var any = false;
            long value = 0;
            foreach (var cell in cells)
            {
                any |= present[cell.Index];
                value += current[cell.Index];
            }

            if (!any)
            {
                continue;
            }

            for (var i = 0; i < recent.Count; i++)
            {
                long sum = 0;
                foreach (var cell in cells)
                {
                    sum += recent[i].TryGetValue(cell.Key, out var v) ? v : 0L;
                }

                past[i] = sum;
            }

            Array.Sort(past);
            var median = past.Length % 2 == 1
                ? past[past.Length / 2]
                : (past[past.Length / 2 - 1] + past[past.Length / 2]) / 2.0;
            if (median > 0 && value > limits.OutlierFactor * median)
            {
                add(
                    CheckKind.MedianOutlier,
                    indicator.Code,
                    value,
                    extra: [("factor", limits.OutlierFactor), ("median", median), ("count", recent.Count)]);
            }
        }
    }

    // Per schema (immutable once shipped), the cells whose sum stands for each indicator in the outlier check.
    private static readonly ConditionalWeakTable<GridSchema, IReadOnlyList<(Indicator Indicator, CellDefinition[] Cells)>> OutlierCells = new();

    private static IReadOnlyList<(Indicator Indicator, CellDefinition[] Cells)> ComputeOutlierCells(GridSchema schema) =>
        [.. schema.Indicators.Select(indicator => (indicator, indicator.HasTotal
            ? new[] { schema.Layout.Cells[schema.Layout.IndexOf(indicator.Code)] }
            : [.. schema.Layout.Cells.Where(c => ReferenceEquals(c.Indicator, indicator))]))];

    private static string Format(string template, IEnumerable<(string Name, object? Value)> arguments)
    {
        var lookup = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            lookup[name] = value;
        }

        return Placeholder().Replace(template, m => lookup.TryGetValue(m.Groups[1].Value, out var value)
            ? value switch
            {
                long or int or double => Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("#,0.##", French),
                null => "",
                _ => ClientText.Quote(value.ToString()),
            }
            : m.Value);
    }

    [GeneratedRegex(@"\{([a-z_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
