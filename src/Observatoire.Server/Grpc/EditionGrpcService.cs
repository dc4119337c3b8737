using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Observatoire.Server.Editions;
using Observatoire.Server.Security;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Grpc;

/// <summary>Editions: publishing one (report and admin keys), listing them and comparing one with today's figures (every reader).</summary>
internal sealed class EditionGrpcService(EditionDesk editions, EditionComparison comparison) : Api.EditionService.EditionServiceBase
{
    [Authorize(Policy = Rights.Publish)]
    public override Task<Api.Edition> PublishEdition(Api.PublishEditionRequest request, ServerCallContext context) =>
        editions.PublishAsync(request, context.Caller(), context.CancellationToken);

    [Authorize(Policy = Rights.Read)]
    public override Task<Api.ListEditionsResponse> ListEditions(Api.ListEditionsRequest request, ServerCallContext context) =>
        editions.ListAsync(request, context.CancellationToken);

    [Authorize(Policy = Rights.Read)]
    public override Task<Api.CompareEditionResponse> CompareEdition(Api.CompareEditionRequest request, ServerCallContext context) =>
        comparison.CompareAsync(request, context.Caller(), context.CancellationToken);
}
