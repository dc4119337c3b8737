using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Observatoire.Core.Schemas;

/// <summary>Reads a schema data file and checks that it is self-consistent.</summary>
public static class SchemaLoader
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <exception cref="InvalidDataException">The file is not a consistent schema.</exception>
    public static GridSchema Load(Stream json)
    {
        SchemaFile file;
        try
        {
            file = JsonSerializer.Deserialize<SchemaFile>(json, JsonOptions) ?? throw new InvalidDataException("Empty schema file.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Invalid schema file: {e.Message}", e);
        }

        return Build(file);
    }

    private static GridSchema Build(SchemaFile file)
    {
        var version = Required(file.Version, "version");
        var dimensions = (file.Dimensions ?? []).ToDictionary(
            d => d.Key,
            d => new Dimension(
                d.Key,
                Required(d.Value.Label, $"dimensions.{d.Key}.label"),
                [.. (d.Value.Options ?? []).Select(o => new DimensionOption(Required(o.Code, "option code"), Required(o.Label, $"label of {o.Code}")))]),
            StringComparer.Ordinal);
        foreach (var dimension in dimensions.Values)
        {
            Ensure(dimension.Options.Count > 0, $"dimension {dimension.Code} has no option");
            Ensure(dimension.Options.Select(o => o.Code).Distinct().Count() == dimension.Options.Count, $"dimension {dimension.Code} repeats an option");
        }

        var sections = (file.Sections ?? []).Select(s => new Section(Required(s.Code, "section code"), Required(s.Label, "section label"))).ToList();
        var sectionCodes = sections.Select(s => s.Code).ToHashSet();

        var indicators = new List<Indicator>();
        foreach (var item in file.Indicators ?? [])
        {
            var code = Required(item.Code, "indicator code");
            var aggregation = ParseAggregation(item.Aggregation, code);
            var breakdowns = new List<Breakdown>();
            foreach (var b in item.Breakdowns ?? [])
            {
                var breakdownCode = Required(b.Code, $"breakdown code of {code}");
                var dims = (b.Dimensions ?? []).Select(d => dimensions.TryGetValue(d, out var dim)
                    ? dim
                    : throw new InvalidDataException($"Schema {version}: breakdown {code}.{breakdownCode} uses unknown dimension {d}.")).ToList();
                Ensure(dims.Count > 0, $"breakdown {code}.{breakdownCode} has no dimension");
                var section = b.Section ?? item.Section ?? "";
                Ensure(sectionCodes.Contains(section), $"breakdown {code}.{breakdownCode} is in unknown section {section}");
                breakdowns.Add(new Breakdown(
                    breakdownCode,
                    section,
                    Required(b.Label, $"label of {code}.{breakdownCode}"),
                    dims,
                    b.SumsToTotal,
                    b.Aggregation is null ? aggregation : ParseAggregation(b.Aggregation, breakdownCode)));
            }

            var hasTotal = item.HasTotal ?? true;
            Ensure(hasTotal || breakdowns.Count > 0, $"indicator {code} has neither a total nor a breakdown");
            Ensure(hasTotal || breakdowns.All(b => !b.SumsToTotal), $"indicator {code} has no total for its breakdowns to sum to");
            Ensure(sectionCodes.Contains(item.Section ?? ""), $"indicator {code} is in unknown section {item.Section}");
            indicators.Add(new Indicator(
                code,
                item.Section!,
                Required(item.Label, $"label of {code}"),
                item.Description ?? "",
                Required(item.Unit, $"unit of {code}"),
                aggregation,
                hasTotal,
                breakdowns));
        }

        Ensure(indicators.Count > 0, "no indicator");
        Ensure(indicators.Select(i => i.Code).Distinct().Count() == indicators.Count, "an indicator code is repeated");

        var checks = (file.Checks ?? []).Select(c => new BuiltInCheck(
            Required(c.Code, "check code"),
            ParseCheck(c.Check, c.Code!),
            c.Check!,
            ParseSeverity(c.Severity, c.Code!),
            Required(c.Message, $"message of {c.Code}"))).ToList();
        var missing = Enum.GetValues<CheckKind>().Where(k => checks.All(c => c.Kind != k)).ToList();
        Ensure(missing.Count == 0, $"checks not configured: {string.Join(", ", missing)}");

        var schema = new GridSchema(
            version,
            Required(file.Title, "title"),
            ParseDate(file.ValidFrom, "valid_from") ?? throw new InvalidDataException($"Schema {version}: valid_from is required."),
            ParseDate(file.ValidTo, "valid_to"),
            new SchemaLimits(
                file.MaxValue ?? 100_000,
                file.MaxCommentLength ?? 2_000,
                file.OutlierFactor ?? 5,
                file.OutlierHistory ?? 12,
                file.OutlierMinHistory ?? 6),
            sections,
            indicators,
            checks);

        var rules = new List<SchemaRule>();
        foreach (var r in file.Rules ?? [])
        {
            var code = Required(r.Code, "rule code");
            RuleExpression expression;
            try
            {
                expression = RuleExpression.Parse(Required(r.Expression, $"expression of {code}"), schema.Layout);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"Schema {version}, rule {code}: {e.Message}", e);
            }

            rules.Add(new SchemaRule(code, ParseSeverity(r.Severity, code), Required(r.Message, $"message of {code}"), r.Path ?? expression.Text, expression));
        }

        if (file.YearlyBilan is { } bilan)
        {
            var coherence = (bilan.Coherence ?? []).Select(c => new CoherenceCheck(
                Required(c.Code, "coherence code"),
                ParseEnum<CoherenceKind>(c.Check, c.Code!, "coherence check"),
                ParseSeverity(c.Severity, c.Code!),
                Required(c.Message, $"message of {c.Code}"))).ToList();
            Ensure(coherence.Select(c => c.Kind).Distinct().Count() == coherence.Count, "a coherence check is configured twice");
            schema.YearlyBilan = new YearlyBilan(
                Required(bilan.Label, "yearly_bilan.label"),
                bilan.Description ?? "",
                coherence);
        }

        var allCodes = rules.Select(r => r.Code)
            .Concat(checks.Select(c => c.Code))
            .Concat(schema.YearlyBilan?.Coherence.Select(c => c.Code) ?? [])
            .ToList();
        Ensure(allCodes.Distinct().Count() == allCodes.Count, "a rule code is repeated");
        schema.Rules = rules;
        return schema;

        void Ensure(bool condition, string what)
        {
            if (!condition)
            {
                throw new InvalidDataException($"Schema {file.Version}: {what}.");
            }
        }
    }

    private static string Required(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidDataException($"Schema file: {what} is required.") : value;

    private static DateOnly? ParseDate(string? text, string what) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new InvalidDataException($"Schema file: {what} '{text}' is not an ISO date.");

    private static Aggregation ParseAggregation(string? text, string code) => text switch
    {
        "SUM" => Aggregation.Sum,
        "LAST" => Aggregation.Last,
        "NONE" => Aggregation.None,
        _ => throw new InvalidDataException($"Schema file: {code} has aggregation '{text}' (SUM, LAST or NONE)."),
    };

    private static Severity ParseSeverity(string? text, string code) => text switch
    {
        "error" => Severity.Error,
        "warning" => Severity.Warning,
        _ => throw new InvalidDataException($"Schema file: rule {code} has severity '{text}' (error or warning)."),
    };

    private static CheckKind ParseCheck(string? name, string code) => ParseEnum<CheckKind>(name, code, "check");

    /// <summary>A snake_case name of the file to its enum value, exactly (no case folding, no numbers).</summary>
    private static T ParseEnum<T>(string? name, string code, string what)
        where T : struct, Enum
    {
        var pascal = string.Concat((name ?? "").Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
        return Enum.TryParse<T>(pascal, ignoreCase: false, out var kind) && Enum.IsDefined(kind) && name == ToSnake(kind.ToString())
            ? kind
            : throw new InvalidDataException($"Schema file: rule {code} names unknown {what} '{name}'.");
    }

    private static string ToSnake(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private sealed class SchemaFile
    {
        public string? Version { get; set; }
        public string? Title { get; set; }
        public string? ValidFrom { get; set; }
        public string? ValidTo { get; set; }
        public long? MaxValue { get; set; }
        public int? MaxCommentLength { get; set; }
        public double? OutlierFactor { get; set; }
        public int? OutlierHistory { get; set; }
        public int? OutlierMinHistory { get; set; }
        public Dictionary<string, DimensionFile>? Dimensions { get; set; }
        public List<SectionFile>? Sections { get; set; }
        public List<IndicatorFile>? Indicators { get; set; }
        public List<CheckFile>? Checks { get; set; }
        public List<RuleFile>? Rules { get; set; }
        public YearlyBilanFile? YearlyBilan { get; set; }
    }

    private sealed class YearlyBilanFile
    {
        public string? Label { get; set; }
        public string? Description { get; set; }
        public List<CheckFile>? Coherence { get; set; }
    }

    private sealed class DimensionFile
    {
        public string? Label { get; set; }
        public List<OptionFile>? Options { get; set; }
    }

    private sealed class OptionFile
    {
        public string? Code { get; set; }
        public string? Label { get; set; }
    }

    private sealed class SectionFile
    {
        public string? Code { get; set; }
        public string? Label { get; set; }
    }

    private sealed class IndicatorFile
    {
        public string? Code { get; set; }
        public string? Section { get; set; }
        public string? Label { get; set; }
        public string? Description { get; set; }
        public string? Unit { get; set; }
        public string? Aggregation { get; set; }
        public bool? HasTotal { get; set; }
        public List<BreakdownFile>? Breakdowns { get; set; }
    }

    private sealed class BreakdownFile
    {
        public string? Code { get; set; }
        public string? Section { get; set; }
        public string? Label { get; set; }
        public List<string>? Dimensions { get; set; }
        public bool SumsToTotal { get; set; }
        public string? Aggregation { get; set; }
    }

    private sealed class CheckFile
    {
        public string? Code { get; set; }
        public string? Check { get; set; }
        public string? Severity { get; set; }
        public string? Message { get; set; }
    }

    private sealed class RuleFile
    {
        public string? Code { get; set; }
        public string? Severity { get; set; }
        public string? Path { get; set; }
        public string? Expression { get; set; }
        public string? Message { get; set; }
    }
}
