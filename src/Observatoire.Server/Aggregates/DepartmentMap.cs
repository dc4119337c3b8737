using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Server.Security;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Aggregates;

/// <summary>One department on a map: its published figure, or why there is none (secret, no data, outside the caller's scope).</summary>
public sealed record DepartmentValue(DepartmentInfo Department, bool InScope, Api.Figure? Figure)
{
    public bool Secret => Figure is { Confidentiality: Api.Confidentiality.Primary or Api.Confidentiality.Secondary or Api.Confidentiality.Suppressed or Api.Confidentiality.Pending or Api.Confidentiality.Withheld };

    /// <summary>The mapped quantity: per 100,000 inhabitants when the figure is published.</summary>
    public double? Rate => Figure is { HasRatePer100K: true } f ? f.RatePer100K : null;
}

/// <summary>
/// One figure for every department the caller may read, for the choropleth map and its table: each value
/// comes from <see cref="AggregateQueries.ConsolidateAsync"/>, the same call as gRPC's Consolidate, so the
/// access policy and statistical secrecy decide it exactly as they decide a table.
/// </summary>
internal sealed class DepartmentMap(AggregateQueries queries, ConsolidationState state)
{
    /// <param name="asOf">The instant of the figures; null for today's.</param>
    /// <summary>
    /// The values of a map download (CSV, XLSX): refused as the map page is (PERMISSION_DENIED, the missing right)
    /// when the caller may see no department, rather than a file of headers only.
    /// </summary>
    public async Task<IReadOnlyList<DepartmentValue>> DownloadAsync(CallerScope caller, Period period, string cell, Timestamp? asOf, CancellationToken ct)
    {
        AccessPolicy.ForDepartmentMap(caller, state.Registry).OrDeny();
        return await ValuesAsync(caller, period, cell, asOf, ct);
    }

    public async Task<IReadOnlyList<DepartmentValue>> ValuesAsync(CallerScope caller, Period period, string cell, Timestamp? asOf, CancellationToken ct)
    {
        var registry = state.Registry;
        var values = new List<DepartmentValue>();
        foreach (var department in registry.Departments.Values.OrderBy(d => d.Code, StringComparer.Ordinal))
        {
            var area = new AreaRef(AreaLevel.Department, department.Code);
            if (!AccessPolicy.ForFigures(caller, area, rawRequested: false, registry).Allowed)
            {
                values.Add(new DepartmentValue(department, false, null));
                continue;
            }

            var response = await queries.ConsolidateAsync(
                new Api.ConsolidateRequest
                {
                    Area = new Api.Area { Level = Api.AreaLevel.Department, Code = department.Code },
                    Period = period.ToString(),
                    Cells = { cell },
                    Disclosure = Api.Disclosure.Publication,
                    AsOf = asOf,
                },
                caller,
                ct);
            values.Add(new DepartmentValue(department, true, response.Figures.FirstOrDefault()));
        }

        return values;
    }

    /// <summary>The area whose key figures a caller sees first: its own scope, the nation for national roles, null for a post.</summary>
    public static AreaRef? HomeArea(CallerScope caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Role switch
        {
            Role.Admin or Role.Rapport => AreaRef.National,
            Role.Analyste when caller.Scope is { } scope => new AreaRef(scope.Level, scope.Code),
            _ => null,
        };
    }

    /// <summary>
    /// The key figures of an area: the indicators' totals of gRPC's Consolidate (breakdowns left out);
    /// PERMISSION_DENIED outside the caller's scope.
    /// </summary>
    public async Task<Api.ConsolidateResponse> KeyFiguresAsync(CallerScope caller, AreaRef area, Period period, IEnumerable<string> indicators, Timestamp? asOf, CancellationToken ct)
    {
        var response = await queries.ConsolidateAsync(
            new Api.ConsolidateRequest
            {
                Area = new Api.Area { Level = (Api.AreaLevel)(int)area.Level, Code = area.Code },
                Period = period.ToString(),
                Cells = { indicators },
                Disclosure = DisclosureFor(caller, area, area.Level),
                AsOf = asOf,
            },
            caller,
            ct);
        var totals = response.Figures.Where(f => f.Cell == f.Indicator).ToList();
        response.Figures.Clear();
        response.Figures.AddRange(totals);
        return response;
    }

    /// <summary>
    /// How figures are asked for: a post's figures exist raw only, so they are asked raw when the access policy lets
    /// this caller have them (audited, as over gRPC); everything else is published figures under statistical secrecy.
    /// </summary>
    public Api.Disclosure DisclosureFor(CallerScope caller, AreaRef area, AreaLevel valuesLevel) =>
        valuesLevel == AreaLevel.Post && AccessPolicy.ForFigures(caller, area, rawRequested: true, state.Registry, valuesLevel).Allowed
            ? Api.Disclosure.Raw
            : Api.Disclosure.Publication;

    /// <summary>True when the refusal is the access policy's (shown in the page), not a fault.</summary>
    public static bool IsRefusal(RpcException e) => e?.StatusCode is StatusCode.PermissionDenied;
}
