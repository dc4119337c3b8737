using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Core.Access;
using Observatoire.Protos.V1;
using Observatoire.Server.Grids;
using Observatoire.Server.Grpc;

namespace Observatoire.Server.Tests.Web;

/// <summary>
/// A grid sent from the pages (the grid form, a workbook) goes through the same rules as over gRPC: a submission id
/// another post used first is refused, never shown as "sent".
/// </summary>
public class PageSubmissionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task An_id_another_post_used_first_is_refused_on_the_pages_and_names_nothing_of_that_post()
    {
        var (first, second) = (TestGrids.MonthlyPost(30), TestGrids.MonthlyPost(31));
        var grids = new GridService.GridServiceClient(server.CreateChannel(await server.PostKeyAsync(first.Id)));
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(first.Id, "2021-03"), id: "identifiant-pris"));

        using var scope = server.Services.CreateScope();
        var periods = scope.ServiceProvider.GetRequiredService<PostPeriods>();
        var caller = new CallerScope("page", Observatoire.Core.Access.Role.Poste, new HashSet<string> { second.Id }, null, "127.0.0.1");
        var grid = ProtoMapping.ToDomain(TestGrids.Valid(second.Id, "2021-03"));

        var refused = await Assert.ThrowsAsync<RpcException>(() => periods.SubmitAsync(caller, grid, "identifiant-pris", CancellationToken.None));

        Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);
        Assert.DoesNotContain(first.Id, refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await server.QueryAsync(db => db.GridRevisions.CountAsync(g => g.PostId == second.Id && g.Period == "2021-03")));
    }
}
