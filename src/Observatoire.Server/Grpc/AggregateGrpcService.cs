using Grpc.Core;
using Observatoire.Protos.V1;
using Observatoire.Server.Aggregates;

namespace Observatoire.Server.Grpc;

/// <summary>Consolidated figures for analysts and report jobs.</summary>
internal sealed class AggregateGrpcService(AggregateQueries queries) : AggregateService.AggregateServiceBase
{
    public override Task<ConsolidateResponse> Consolidate(ConsolidateRequest request, ServerCallContext context) =>
        Task.FromResult(queries.Consolidate(request, context.CancellationToken));

    public override Task<GetSeriesResponse> GetSeries(GetSeriesRequest request, ServerCallContext context) =>
        Task.FromResult(queries.GetSeries(request, context.CancellationToken));

    public override Task<GetCompletenessResponse> GetCompleteness(GetCompletenessRequest request, ServerCallContext context) =>
        Task.FromResult(queries.GetCompleteness(request, context.CancellationToken));

    public override Task<ListOutliersResponse> ListOutliers(ListOutliersRequest request, ServerCallContext context) =>
        Task.FromResult(queries.ListOutliers(request, context.CancellationToken));

    public override Task<CompareAreasResponse> CompareAreas(CompareAreasRequest request, ServerCallContext context) =>
        Task.FromResult(queries.CompareAreas(request, context.CancellationToken));
}
