using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Observatoire.Protos.V1;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Security;

namespace Observatoire.Server.Grpc;

/// <summary>Consolidated figures for analysts and report jobs; what each caller sees is the access policy's decision.</summary>
[Authorize(Policy = Rights.Read)]
internal sealed class AggregateGrpcService(AggregateQueries queries) : AggregateService.AggregateServiceBase
{
    public override Task<ConsolidateResponse> Consolidate(ConsolidateRequest request, ServerCallContext context) =>
        queries.ConsolidateAsync(request, context.Caller(), context.CancellationToken);

    public override Task<GetSeriesResponse> GetSeries(GetSeriesRequest request, ServerCallContext context) =>
        queries.GetSeriesAsync(request, context.Caller(), context.CancellationToken);

    public override Task<GetCompletenessResponse> GetCompleteness(GetCompletenessRequest request, ServerCallContext context) =>
        queries.GetCompletenessAsync(request, context.Caller(), context.CancellationToken);

    public override Task<ListOutliersResponse> ListOutliers(ListOutliersRequest request, ServerCallContext context) =>
        queries.ListOutliersAsync(request, context.Caller(), context.CancellationToken);

    public override Task<CompareAreasResponse> CompareAreas(CompareAreasRequest request, ServerCallContext context) =>
        queries.CompareAreasAsync(request, context.Caller(), context.CancellationToken);
}
