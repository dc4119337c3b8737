using System.Net;
using Grpc.Core;
using Observatoire.Protos.V1;
using Observatoire.Server.Tests.Web;

namespace Observatoire.Server.Tests;

/// <summary>
/// What two instances on one PostgreSQL database share besides the grids: the registry of posts, the API keys and
/// the key ring of the web pages' sign-in. A change made through one instance holds on the other from its next call.
/// </summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlSharedStateTests : IClassFixture<PostgreSqlServerFixture>
{
    private const string NewPost = "P-48-901";
    private const string Password = "Mot-de-passe-initial-2026!";

    private readonly PostgreSqlServerFixture first;

    public PostgreSqlSharedStateTests(PostgreSqlServerFixture server)
    {
        first = server;
        first.Settings["Security:BootstrapAdminPassword"] = Password;
    }

    [Fact]
    public async Task A_sign_in_and_the_forms_of_one_instance_are_accepted_by_the_other()
    {
        var second = first.OtherInstance();
        var session = new WebSession();
        var onFirst = session.To(first);
        var onSecond = session.To(second);

        // The sign-in form of the first instance, posted to the second: its antiforgery token is accepted, the cookie issued.
        Assert.Equal(HttpStatusCode.Redirect, (await WebSession.SignInAsync(onFirst, onSecond, "admin", Password)).StatusCode);
        Assert.Equal("admin", await WebSession.SignedInAccountAsync(onFirst));
        Assert.Equal("admin", await WebSession.SignedInAccountAsync(onSecond));

        // A form behind the sign-in, served by the second instance and posted to the first: the token is accepted and the
        // form handled (its own check answers), where a token the first could not read would be refused with 400.
        var token = WebSession.TokenOf(await onSecond.GetStringAsync("/compte/mot-de-passe"));
        using var posted = await onFirst.PostAsync("/compte/mot-de-passe", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "mot-de-passe",
            ["__RequestVerificationToken"] = token,
            ["actuel"] = Password,
            ["nouveau"] = "Nouveau-mot-de-passe-2026!",
            ["confirmation"] = "Autre-mot-de-passe-2026!",
        }));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("La confirmation ne reprend pas le nouveau mot de passe.", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_added_then_closed_through_one_instance_holds_on_the_other_from_its_next_call()
    {
        var second = first.OtherInstance();
        var admin = new AdminService.AdminServiceClient(first.CreateChannel());
        var aggregates = new AggregateService.AggregateServiceClient(ServerFixture.ChannelTo(second));
        var grids = new GridService.GridServiceClient(ServerFixture.ChannelTo(second));
        Task<GetCompletenessResponse> CompletenessAsync(string period) => aggregates.GetCompletenessAsync(new GetCompletenessRequest
        {
            Area = new Area { Level = AreaLevel.Department, Code = "48" }, Period = period,
        }).ResponseAsync;

        // The second instance has loaded its registry and answered before the change.
        var before = await CompletenessAsync("2021-01");
        Assert.DoesNotContain(before.Posts, p => p.PostId == NewPost);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(NewPost, "2021-01"))).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);

        await admin.AddPostAsync(new AddPostRequest
        {
            Post = new Post { Id = NewPost, Name = "Brigade d'essai", DepartmentCode = "48", Frequency = ReportingFrequency.Month, Zone = Zone.Gendarmerie, ActiveFrom = "2020-01-01" },
        });

        // Its next answers know the post: expected in the completeness, and its grid accepted and counted.
        var added = await CompletenessAsync("2021-01");
        Assert.Equal(before.Counts.Expected + 1, added.Counts.Expected);
        Assert.Equal(["2021-01"], added.Posts.Single(p => p.PostId == NewPost).MissingPeriods);
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(NewPost, "2021-01")));
        var received = await CompletenessAsync("2021-01");
        Assert.Equal(1, received.Posts.Single(p => p.PostId == NewPost).Counts.Received);

        // Closed through the first instance: the second refuses its grids after the closing and no longer expects them.
        await admin.DeactivatePostAsync(new DeactivatePostRequest { Id = NewPost, ActiveTo = "2021-12-31", Reason = "fermeture" });
        var late = await Assert.ThrowsAsync<RpcException>(() => grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(NewPost, "2022-02"))).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, late.StatusCode);
        Assert.DoesNotContain((await CompletenessAsync("2022-02")).Posts, p => p.PostId == NewPost);
        Assert.Contains((await CompletenessAsync("2021-12")).Posts, p => p.PostId == NewPost);
    }

    [Fact]
    public async Task A_key_revoked_through_one_instance_is_refused_by_the_other_at_its_next_call()
    {
        // Both instances would trust a checked key from memory for an hour if they were their database's only writer.
        var second = first.OtherInstance(("Security:KeyCheckSeconds", "3600"));
        var post = TestGrids.MonthlyPost(40).Id;
        var key = await first.PostKeyAsync(post);
        var grids = new GridService.GridServiceClient(ServerFixture.ChannelTo(second, key));

        // The second instance has checked the key (and remembers its hash) before the revocation.
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2023-01")));
        await new AdminService.AdminServiceClient(first.CreateChannel()).RevokeKeyAsync(new RevokeKeyRequest { Id = key.Split('_')[1] });

        var refused = await Assert.ThrowsAsync<RpcException>(() => grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2023-02"))).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("révoquée", refused.Status.Detail, StringComparison.Ordinal);
    }
}
