using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Data.Entities;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Grpc;

/// <summary>Maps domain types to and from the contract's messages.</summary>
internal static class ProtoMapping
{
    public static Api.Violation ToProto(Violation v) => new()
    {
        RuleCode = v.RuleCode,
        Path = v.Path,
        Message = v.Message,
        Severity = v.Severity == Severity.Error ? Api.Severity.Error : Api.Severity.Warning,
        MatchedText = v.MatchedText ?? "",
    };

    public static GridInput ToDomain(Api.Grid grid) =>
        new(grid.PostId, grid.Period, grid.SchemaVersion, grid.Values, grid.Comment);

    public static Api.Grid ToProto(GridRevision revision, GridSchema? schema)
    {
        var grid = new Api.Grid
        {
            PostId = revision.PostId,
            Period = revision.Period,
            SchemaVersion = revision.SchemaVersion,
            Comment = revision.Comment ?? "",
        };
        if (schema is not null)
        {
            foreach (var (key, value) in NormalizedGrid.ToValues(schema, schema.Layout.Decode(revision.Cells)))
            {
                grid.Values[key] = value;
            }
        }

        return grid;
    }

    public static Api.RevisionInfo ToRevisionInfo(GridRevision revision, int warningCount) => new()
    {
        Revision = revision.Revision,
        ReceivedAt = Utc(revision.ReceivedAtUtc),
        ClientId = revision.ClientId,
        SubmissionId = revision.SubmissionId,
        ContentHash = revision.ContentHash,
        SchemaVersion = revision.SchemaVersion,
        WarningCount = warningCount,
    };

    public static Api.Aggregation ToProto(Aggregation aggregation) => aggregation switch
    {
        Aggregation.Sum => Api.Aggregation.Sum,
        Aggregation.Last => Api.Aggregation.Last,
        _ => Api.Aggregation.None,
    };

    public static Api.Schema ToProto(GridSchema schema)
    {
        var result = new Api.Schema
        {
            Version = schema.Version,
            Title = schema.Title,
            ValidFrom = Iso(schema.ValidFrom),
            ValidTo = schema.ValidTo is { } to ? Iso(to) : "",
            MaxValue = schema.Limits.MaxValue,
            MaxCommentLength = schema.Limits.MaxCommentLength,
        };
        foreach (var section in schema.Sections)
        {
            var pbSection = new Api.Section { Code = section.Code, Label = section.Label };
            pbSection.Indicators.AddRange(schema.Indicators.Where(i => i.Section == section.Code).Select(ToProto));
            result.Sections.Add(pbSection);
        }

        result.Rules.AddRange(schema.Checks.Select(c => new Api.Rule
        {
            Code = c.Code,
            Severity = c.Severity == Severity.Error ? Api.Severity.Error : Api.Severity.Warning,
            Message = c.Message,
            Expression = c.Name,
            Kind = "builtin",
        }));
        result.Rules.AddRange(schema.Rules.Select(r => new Api.Rule
        {
            Code = r.Code,
            Severity = r.Severity == Severity.Error ? Api.Severity.Error : Api.Severity.Warning,
            Message = r.Message,
            Expression = r.Expression.Text,
            Kind = "expression",
        }));
        if (schema.YearlyBilan is { } bilan)
        {
            result.YearlyBilan = new Api.YearlyBilan { Label = bilan.Label, Description = bilan.Description };
            result.Rules.AddRange(bilan.Coherence.Select(c => new Api.Rule
            {
                Code = c.Code,
                Severity = c.Severity == Severity.Error ? Api.Severity.Error : Api.Severity.Warning,
                Message = c.Message,
                Expression = string.Concat(c.Kind.ToString().Select((ch, i) => char.IsUpper(ch) && i > 0 ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString())),
                Kind = "coherence",
            }));
        }

        return result;
    }

    public static Api.SchemaSummary ToSummary(GridSchema schema) => new()
    {
        Version = schema.Version,
        Title = schema.Title,
        ValidFrom = Iso(schema.ValidFrom),
        ValidTo = schema.ValidTo is { } to ? Iso(to) : "",
    };

    public static Api.Post ToProto(Post post) => new()
    {
        Id = post.Id,
        Name = post.Name,
        DepartmentCode = post.DepartmentCode,
        RegionCode = post.Department?.RegionCode ?? "",
        Zone = post.Zone switch
        {
            Zone.Police => Api.Zone.Police,
            Zone.Gendarmerie => Api.Zone.Gendarmerie,
            _ => Api.Zone.Mixte,
        },
        Fte = post.Fte,
        Frequency = ToProto(post.Frequency),
        ActiveFrom = Iso(post.ActiveFrom),
        ActiveTo = post.ActiveTo is { } to ? Iso(to) : "",
    };

    public static Api.ReportingFrequency ToProto(ReportingFrequency frequency) => frequency switch
    {
        ReportingFrequency.Month => Api.ReportingFrequency.Month,
        ReportingFrequency.Quarter => Api.ReportingFrequency.Quarter,
        _ => Api.ReportingFrequency.Year,
    };

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An ISO date of a request field (2000 to 2100), or INVALID_ARGUMENT naming the field.</summary>
    public static DateOnly ParseDate(string text, string field) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year is >= 2000 and <= 2100
            ? date
            : throw RpcErrors.InvalidField(field, "DATE_INVALIDE", $"La date « {text} » est invalide : attendu AAAA-MM-JJ (2000 à 2100).");

    /// <summary>A stored UTC instant as a protobuf timestamp.</summary>
    public static Timestamp Utc(DateTime value) => Timestamp.FromDateTime(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static Api.Indicator ToProto(Indicator indicator)
    {
        var result = new Api.Indicator
        {
            Code = indicator.Code,
            Label = indicator.Label,
            Unit = indicator.Unit,
            Aggregation = ToProto(indicator.Aggregation),
            HasTotal = indicator.HasTotal,
            Description = indicator.Description,
        };
        result.Breakdowns.AddRange(indicator.Breakdowns.Select(b =>
        {
            var breakdown = new Api.Breakdown
            {
                Code = b.Code,
                Label = b.Label,
                SumsToTotal = b.SumsToTotal,
                Aggregation = ToProto(b.Aggregation),
                Section = b.Section,
            };
            breakdown.Dimensions.AddRange(b.Dimensions.Select(d =>
            {
                var dimension = new Api.Dimension { Code = d.Code, Label = d.Label };
                dimension.Options.AddRange(d.Options.Select(o => new Api.Option { Code = o.Code, Label = o.Label }));
                return dimension;
            }));
            return breakdown;
        }));
        return result;
    }
}
