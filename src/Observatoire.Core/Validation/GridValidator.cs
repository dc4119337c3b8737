using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
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
public sealed class GridValidator(SchemaCatalog catalog)
{
    public ValidationResult Validate(GridInput grid, ValidationContext context) => Validate(grid, context, fastPaths: true);

    /// <summary>Without the fast paths, the tests check that they never change an outcome.</summary>
    internal ValidationResult Validate(GridInput grid, ValidationContext context, bool fastPaths)
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
            var arguments = new (string, object?)[4 + extra.Length];
            arguments[0] = ("value", value);
            arguments[1] = ("max", schema.Limits.MaxValue);
            arguments[2] = ("period", grid.Period);
            arguments[3] = ("version", schema.Version);
            extra.CopyTo(arguments, 4);
            // A cell path is the client's map key: quoted, never echoed whole.
            violations.Add(new Violation(check.Code, ClientText.Quote(path, 200), MessageTemplate.Format(check.Message, arguments), check.Severity, matched));
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
        if (!fastPaths || !TryReadCanonical(schema, grid.Values, cells, present))
        {
            // Some key is not canonical, or some value out of range: the general path, in the ordinal order of the
            // keys, so that the violations (and which spelling of a cell counts as the duplicate) never depend on
            // the order the client sent its map in.
            Array.Clear(cells);
            Array.Clear(present);
            ReadInOrder(schema, grid.Values, cells, present, Add);
        }

        HashSet<int>? missingTotals = null;
        foreach (var cell in schema.Layout.Cells)
        {
            if (cell.IsTotal && !present[cell.Index])
            {
                (missingTotals ??= []).Add(cell.Index);
                Add(CheckKind.RequiredTotal, cell.Key, cell.Key);
            }
        }

        foreach (var rule in schema.Rules)
        {
            // A rule about a missing total would only repeat the missing-total error.
            if (missingTotals is not null && rule.Expression.ReferencedCells.Any(missingTotals.Contains))
            {
                continue;
            }

            var outcome = rule.Expression.Evaluate(cells);
            if (!outcome.Ok)
            {
                violations.Add(new Violation(
                    rule.Code,
                    rule.Path,
                    MessageTemplate.Format(rule.Message, [("left", outcome.Left), ("right", outcome.Right)]),
                    rule.Severity));
            }
        }

        CheckComment(grid.Comment, schema, fastPaths, Add);
        CheckHistory(schema, cells, present, context.History, Add);
        if (parsedPeriod is { } year && context.SameYear is { Count: > 0 } sameYear)
        {
            foreach (var finding in BilanCoherence.Check(schema, year, cells, sameYear))
            {
                violations.Add(new Violation(
                    finding.Check.Code,
                    finding.CellKey,
                    MessageTemplate.Format(finding.Check.Message, [
                        ("value", finding.Value),
                        ("expected", finding.Expected),
                        ("count", finding.Count),
                        ("periods", finding.Periods),
                        ("cell", finding.CellKey)]),
                    finding.Check.Severity));
            }
        }

        var hasError = false;
        foreach (var violation in violations)
        {
            hasError |= violation.IsError;
        }

        NormalizedGrid? normalized = null;
        if (!hasError)
        {
            var dense = new int[cells.Length];
            for (var i = 0; i < cells.Length; i++)
            {
                dense[i] = (int)cells[i];
            }

            normalized = new NormalizedGrid(grid.PostId, parsedPeriod!.Value, schema, dense, grid.Comment);
        }

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

    /// <summary>
    /// The common case, in any order: every key canonical and every value in range, so no cell violation whatever
    /// the order. False as soon as one entry needs the general path (which then reads the grid again from scratch).
    /// </summary>
    private static bool TryReadCanonical(GridSchema schema, IReadOnlyDictionary<string, long> values, long[] cells, bool[] present)
    {
        var max = schema.Limits.MaxValue;
        foreach (var (key, value) in values)
        {
            // Distinct canonical keys are distinct cells: no duplicate can arise without a non-canonical key.
            if (!schema.Layout.TryGetIndex(key, out var index) || value < 0 || value > max)
            {
                return false;
            }

            present[index] = true;
            cells[index] = value;
        }

        return true;
    }

    private static void ReadInOrder(GridSchema schema, IReadOnlyDictionary<string, long> values, long[] cells, bool[] present, Reporter add)
    {
        foreach (var (rawKey, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var index = ResolveCell(schema, rawKey, add);
            if (index is null)
            {
                continue;
            }

            if (present[index.Value])
            {
                add(CheckKind.MalformedCell, rawKey, rawKey);
                continue;
            }

            present[index.Value] = true;
            cells[index.Value] = value;
            if (value < 0 || value > schema.Limits.MaxValue)
            {
                add(CheckKind.ValueRange, rawKey, value);
            }
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

    private static void CheckComment(string? comment, GridSchema schema, bool fastPaths, Reporter add)
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
        foreach (var span in AnonymityGuard.Scan(comment, prefilter: fastPaths))
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

        // The post's stored grids of this schema are read in place, by index, not by key.
        var dense = new IReadOnlyList<int>?[recent.Count];
        for (var i = 0; i < recent.Count; i++)
        {
            dense[i] = (recent[i] as CellValues)?.DenseFor(schema);
        }

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

            // A value of zero or less never exceeds a non-negative multiple of a positive median.
            if (!any || (value <= 0 && !(limits.OutlierFactor < 0)))
            {
                continue;
            }

            for (var i = 0; i < recent.Count; i++)
            {
                long sum = 0;
                if (dense[i] is { } vector)
                {
                    foreach (var cell in cells)
                    {
                        sum += vector[cell.Index];
                    }
                }
                else
                {
                    foreach (var cell in cells)
                    {
                        sum += recent[i].TryGetValue(cell.Key, out var v) ? v : 0L;
                    }
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
}
