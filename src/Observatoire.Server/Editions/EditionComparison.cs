using Google.Protobuf.WellKnownTypes;
using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Grpc;
using Observatoire.Server.Security;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Editions;

/// <summary>
/// What was revised since an edition: each published figure of the nation, the regions and the departments as of the
/// edition's cut-off against today's. Only published figures are compared: a figure secret in either version is listed
/// when its status changed, with neither value nor difference (two versions of a hidden cell must not narrow it); one
/// secret in both says nothing and is not listed.
/// </summary>
internal sealed class EditionComparison(EditionDesk editions, FigureViews views, AggregateQueries queries)
{
    /// <summary>Most revisions listed in an answer (revised_count gives them all).</summary>
    public const int MaxListed = 5000;

    public async Task<Api.CompareEditionResponse> CompareAsync(Api.CompareEditionRequest request, CallerScope caller, CancellationToken ct)
    {
        var edition = await editions.GetAsync(request.Edition, ct);
        var period = request.Period.Length == 0 ? Period.OfYear(edition.Year) : queries.ParsePeriod(request.Period, "period");
        if (period.Year != edition.Year)
        {
            throw RpcErrors.InvalidField("period", "PERIODE_HORS_EDITION", $"L'édition « {edition.Name} » porte sur {edition.Year} : la période {period} n'y est pas.");
        }

        var levels = request.Level switch
        {
            Api.AreaLevel.Unspecified => [AreaLevel.National, AreaLevel.Region, AreaLevel.Department],
            Api.AreaLevel.National or Api.AreaLevel.Region or Api.AreaLevel.Department => new[] { (AreaLevel)(int)request.Level },
            _ => throw RpcErrors.InvalidField("level", "NIVEAU_INVALIDE", "Une édition se compare au niveau national, régional ou départemental (les chiffres des postes ne sont pas publiés)."),
        };

        var today = views.Live;
        var registry = today.Registry;

        // The caller's areas only (an analyst's scope); none at all is a refusal.
        var areas = levels.SelectMany(level => Areas(registry, level))
            .Where(area => AccessPolicy.ForFigures(caller, area, rawRequested: false, registry).Allowed)
            .ToList();
        if (areas.Count == 0)
        {
            AccessPolicy.ForFigures(caller, AreaRef.National, rawRequested: false, registry).OrDeny();
        }

        var then = await views.AtAsync(edition.CutOffUtc, ct, caller.KeyId);
        var cells = AggregateArguments.SelectCells(today.Consolidator.SchemaFor(period), request.Cells, "cells");
        var response = new Api.CompareEditionResponse { Edition = EditionDesk.ToProto(edition), Period = period.ToString() };
        var revisedByArea = new Dictionary<AreaRef, int>();
        foreach (var area in areas)
        {
            var before = then.Figures(area, period);
            var now = today.Figures(area, period);
            if (now.DataAsOf is { } asOf && area == AreaRef.National)
            {
                response.TodayAsOf = Timestamp.FromDateTime(DateTime.SpecifyKind(asOf, DateTimeKind.Utc));
            }

            foreach (var cell in cells)
            {
                ct.ThrowIfCancellationRequested();
                var a = then.Publish(before, Cell(before.Schema, cell), raw: false, excludePartial: false, waitForPlan: true);
                var b = today.Publish(now, Cell(now.Schema, cell), raw: false, excludePartial: false, waitForPlan: true);
                if (a.Value is null && b.Value is null && a.Confidentiality == b.Confidentiality && a.Status == b.Status && a.Confidentiality == CellConfidentiality.Free)
                {
                    continue;
                }

                response.ComparedFigures++;
                if (Revision(registry, area, cell, a, b) is not { } revision)
                {
                    continue;
                }

                response.RevisedCount++;
                revisedByArea[area] = revisedByArea.GetValueOrDefault(area) + 1;
                if (response.Revisions.Count < MaxListed)
                {
                    response.Revisions.Add(revision);
                }
            }
        }

        response.Areas.AddRange(areas.Where(revisedByArea.ContainsKey)
            .Select(area => new Api.RevisedArea { Area = Info(registry, area), RevisedFigures = revisedByArea[area] }));
        return response;
    }

    /// <summary>The revision of a figure between two versions, or null when nothing published changed.</summary>
    private static Api.EditionRevision? Revision(RegistrySnapshot registry, AreaRef area, CellDefinition cell, PublishedValue then, PublishedValue now)
    {
        var free = then.Confidentiality == CellConfidentiality.Free && now.Confidentiality == CellConfidentiality.Free;
        if (free ? then.Value == now.Value && then.Status == now.Status : then.Confidentiality == now.Confidentiality)
        {
            // Secret in both versions: whether its value moved may not be said.
            return null;
        }

        var revision = new Api.EditionRevision
        {
            Area = Info(registry, area),
            Cell = cell.Key,
            Label = Labels.Of(cell),
            Edition = Value(then, free),
            Today = Value(now, free),
            Secret = !free,
        };
        if (free && then.Value is { } a && now.Value is { } b)
        {
            revision.Change = b - a;
            if (a != 0)
            {
                revision.ChangePercent = Math.Round(100.0 * (b - a) / a, 1);
            }
        }

        return revision;
    }

    private static Api.EditionValue Value(PublishedValue value, bool free)
    {
        var result = new Api.EditionValue
        {
            Status = value.Status switch
            {
                FigureStatus.Complete => Api.FigureStatus.Complete,
                FigureStatus.Partial => Api.FigureStatus.Partial,
                FigureStatus.NotDerivable => Api.FigureStatus.NotDerivable,
                _ => Api.FigureStatus.NoData,
            },
            Confidentiality = AggregateMapping.Confidentiality(value.Confidentiality),
        };
        if (free && value.Value is { } v)
        {
            result.Value = v;
        }

        return result;
    }

    /// <summary>The same cell in the layout of the figures' schema.</summary>
    private static CellDefinition Cell(GridSchema schema, CellDefinition cell) =>
        schema.Layout.TryGetIndex(cell.Key, out var index) ? schema.Layout.Cells[index] : cell;

    private static IEnumerable<AreaRef> Areas(RegistrySnapshot registry, AreaLevel level) => level switch
    {
        AreaLevel.National => [AreaRef.National],
        AreaLevel.Region => registry.Regions.Keys.Order(StringComparer.Ordinal).Select(code => new AreaRef(AreaLevel.Region, code)),
        _ => registry.Departments.Keys.Order(StringComparer.Ordinal).Select(code => new AreaRef(AreaLevel.Department, code)),
    };

    private static Api.AreaInfo Info(RegistrySnapshot registry, AreaRef area) => new()
    {
        Level = (Api.AreaLevel)(int)area.Level,
        Code = area.Code,
        Name = registry.NameOf(area),
        Population = registry.PopulationOf(area),
    };
}
