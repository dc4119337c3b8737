using Observatoire.Core.Access;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;

namespace Observatoire.Core.Tests.Access;

public class AccessPolicyTests
{
    private static readonly RegistrySnapshot Registry = new(
        [new RegionInfo("76", "Occitanie", 6_000_000), new RegionInfo("11", "Île-de-France", 12_000_000)],
        [
            new DepartmentInfo("48", "Lozère", "76", 75_000, 44, 3),
            new DepartmentInfo("09", "Ariège", "76", 150_000, 43, 1),
            new DepartmentInfo("75", "Paris", "11", 2_100_000, 48, 2),
        ],
        [new PostInfo("P-48-001", "Mende", "48", Zone.Police, 1, ReportingFrequency.Month, new DateOnly(2020, 1, 1), null, [new PostLocation("48", new DateOnly(2020, 1, 1), null)])]);

    private static CallerScope Caller(Role role, string? scope = null, params string[] posts) =>
        new("abc", role, posts.ToHashSet(), scope is null ? null : AnalystScope.TryParse(scope, out var s) ? s : throw new ArgumentException(scope), "127.0.0.1");

    private static AreaRef Department(string code) => new(AreaLevel.Department, code);

    private static readonly AreaRef Mende = new(AreaLevel.Post, "P-48-001");

    [Theory]
    [InlineData("national", "75", true)]
    [InlineData("region:76", "48", true)]
    [InlineData("region:76", "09", true)]
    [InlineData("region:76", "75", false)]
    [InlineData("departement:48", "48", true)]
    [InlineData("departement:48", "09", false)]
    public void An_analyst_reads_published_departments_of_its_scope_only(string scope, string department, bool allowed)
    {
        var decision = AccessPolicy.ForFigures(Caller(Role.Analyste, scope), Department(department), rawRequested: false, Registry);
        Assert.Equal(allowed, decision.Allowed);
        Assert.False(decision.Raw);
        Assert.Equal(allowed, decision.MissingRight is null);
    }

    [Fact]
    public void A_map_of_departments_is_for_callers_who_may_read_one_of_them_published()
    {
        Assert.True(AccessPolicy.ForDepartmentMap(Caller(Role.Analyste, "departement:48"), Registry).Allowed);
        Assert.True(AccessPolicy.ForDepartmentMap(Caller(Role.Rapport), Registry).Allowed);
        Assert.False(AccessPolicy.ForDepartmentMap(Caller(Role.Analyste, "departement:48"), Registry).Raw);

        // A post reads no department's figures, its own post's included: refused as a department's figures are.
        var post = AccessPolicy.ForDepartmentMap(Caller(Role.Poste, null, "P-48-001"), Registry);
        Assert.False(post.Allowed);
        Assert.Equal(AccessPolicy.ForFigures(Caller(Role.Poste, null, "P-48-001"), Department("48"), rawRequested: false, Registry).MissingRight, post.MissingRight);
    }

    [Fact]
    public void A_department_analyst_does_not_read_its_region_nor_the_nation()
    {
        var analyst = Caller(Role.Analyste, "departement:48");
        Assert.False(AccessPolicy.ForFigures(analyst, new AreaRef(AreaLevel.Region, "76"), false, Registry).Allowed);
        Assert.False(AccessPolicy.ForFigures(analyst, AreaRef.National, false, Registry).Allowed);
        Assert.False(AccessPolicy.ForReport(analyst, null, Registry).Allowed);
        Assert.True(AccessPolicy.ForReport(analyst, "48", Registry).Allowed);
    }

    [Theory]
    [InlineData(Role.Analyste)]
    [InlineData(Role.Rapport)]
    public void Only_admins_and_posts_read_raw(Role role)
    {
        var caller = Caller(role, role == Role.Analyste ? "national" : null);
        var decision = AccessPolicy.ForFigures(caller, Department("48"), rawRequested: true, Registry);
        Assert.False(decision.Allowed);
        Assert.Contains("lecture des chiffres bruts", decision.MissingRight);
        Assert.False(AccessPolicy.ForOutliers(caller, AreaRef.National).Allowed);
        Assert.False(AccessPolicy.ForPostGrids(caller, "P-48-001").Allowed);
    }

    [Fact]
    public void Raw_reads_of_the_admin_and_of_a_post_on_its_own_figures_are_allowed_and_audited()
    {
        var admin = AccessPolicy.ForFigures(Caller(Role.Admin), Department("48"), rawRequested: true, Registry);
        Assert.True(admin is { Allowed: true, Raw: true, Audited: true });
        var post = AccessPolicy.ForFigures(Caller(Role.Poste, null, "P-48-001"), Mende, rawRequested: true, Registry);
        Assert.True(post.Audited);
        Assert.False(AccessPolicy.ForFigures(Caller(Role.Poste, null, "P-09-001"), Mende, rawRequested: true, Registry).Allowed);
        Assert.False(AccessPolicy.ForFigures(Caller(Role.Admin), Department("48"), rawRequested: false, Registry).Audited);
    }

    [Fact]
    public void Post_figures_are_never_published_and_comparisons_are_judged_by_their_childrens_level()
    {
        Assert.Equal(AccessPolicy.PostFiguresAreRaw, AccessPolicy.ForFigures(Caller(Role.Admin), Mende, false, Registry).MissingRight);
        var comparison = AccessPolicy.ForFigures(Caller(Role.Analyste, "departement:48"), Department("48"), false, Registry, valuesLevel: AreaLevel.Post);
        Assert.False(comparison.Allowed);
        Assert.True(AccessPolicy.ForFigures(Caller(Role.Rapport), AreaRef.National, false, Registry, valuesLevel: AreaLevel.Region).Allowed);
    }

    [Fact]
    public void Posts_submit_for_themselves_without_reception_dates_and_admins_may_state_them()
    {
        var post = Caller(Role.Poste, null, "P-48-001");
        Assert.True(AccessPolicy.ForSubmission(post, "P-48-001", historical: false).Allowed);
        Assert.Contains("import historique", AccessPolicy.ForSubmission(post, "P-48-001", historical: true).MissingRight);
        Assert.False(AccessPolicy.ForSubmission(post, "P-09-001", historical: false).Allowed);
        Assert.False(AccessPolicy.ForSubmission(Caller(Role.Analyste, "national"), "P-48-001", historical: false).Allowed);
        Assert.True(AccessPolicy.ForSubmission(Caller(Role.Admin), "P-48-001", historical: true).Allowed);
    }

    [Theory]
    [InlineData("national", true)]
    [InlineData("Region:76", true)]
    [InlineData("département:2a", true)]
    [InlineData("departement:", false)]
    [InlineData("region:76:1", false)]
    [InlineData("partout", false)]
    [InlineData("national:1", false)]
    public void Scopes_parse_strictly(string text, bool valid) => Assert.Equal(valid, AnalystScope.TryParse(text, out _));
}
