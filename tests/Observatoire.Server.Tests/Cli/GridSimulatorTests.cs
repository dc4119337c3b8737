using Observatoire.Cli.Simulation;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Data;
using Observatoire.Protos.V1;
using CoreRegistry = Observatoire.Core.Registry;

namespace Observatoire.Server.Tests.Cli;

/// <summary>The simulation generator alone, on the seeded registry, without a server.</summary>
public class GridSimulatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<Post> Posts = [.. ReferenceData.LoadEmbeddedPosts().Select(p => new Post
    {
        Id = p.Id,
        Name = p.Name,
        DepartmentCode = p.DepartmentCode,
        Zone = (Zone)(int)p.Zone,
        Fte = p.Fte,
        Frequency = (ReportingFrequency)(int)p.Frequency,
        ActiveFrom = p.ActiveFrom.ToString("yyyy-MM-dd"),
        ActiveTo = p.ActiveTo?.ToString("yyyy-MM-dd") ?? "",
    })];

    private static readonly IReadOnlyList<Department> Departments = [.. ReferenceData.LoadDepartments().Select(d => new Department
    {
        Code = d.Code,
        Name = d.Name,
        RegionCode = d.RegionCode,
        Population = d.Population,
    })];

    private static SimulationResult Simulate(int year = 2025, long seed = 7, double missing = 0.03, double late = 0.10, int outliers = 5, DateTimeOffset? now = null) =>
        new GridSimulator(Posts, Departments, new SimulationOptions
        {
            Year = year,
            Now = now ?? Now,
            Seed = seed,
            Missing = missing,
            Late = late,
            Outliers = outliers,
        }).Run();

    [Fact]
    public void The_same_seed_gives_the_same_grids_and_another_seed_other_grids()
    {
        var first = Simulate(seed: 42);
        var second = Simulate(seed: 42);
        var other = Simulate(seed: 43);

        Assert.Equal(first.Grids.Count, second.Grids.Count);
        Assert.Equal(first.Grids.Select(g => g.Grid), second.Grids.Select(g => g.Grid));
        Assert.Equal(first.Grids.Select(g => (g.Fate, g.ReceivedAt, g.SubmissionId, g.OutlierIndicator)),
            second.Grids.Select(g => (g.Fate, g.ReceivedAt, g.SubmissionId, g.OutlierIndicator)));

        var firstByKey = first.Grids.ToDictionary(g => (g.Grid.PostId, g.Grid.Period));
        var differing = other.Grids.Count(g => !firstByKey[(g.Grid.PostId, g.Grid.Period)].Grid.Equals(g.Grid));
        Assert.True(differing > other.Grids.Count * 0.9, $"{differing} grilles différentes sur {other.Grids.Count}");

        // Submission ids are stable, and unique within a run.
        Assert.Equal(first.Grids.Count, first.Grids.Select(g => g.SubmissionId).Distinct().Count());
        Assert.All(first.Grids, g => Assert.StartsWith($"sim-42-{g.Grid.PostId}-{g.Grid.Period}-", g.SubmissionId));
    }

    [Fact]
    public void Every_post_active_in_the_year_reports_at_its_own_frequency_on_ended_periods_only()
    {
        var midYear = new DateTimeOffset(2025, 8, 20, 9, 0, 0, TimeSpan.Zero);
        var result = Simulate(now: midYear);

        var byPost = result.Grids.GroupBy(g => g.Grid.PostId).ToDictionary(g => g.Key, g => g.Select(x => x.Grid.Period).Order().ToList());
        Assert.Equal(["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07"], byPost["P-01-001"]);
        Assert.Equal(["2025-T1", "2025-T2"], byPost["P-75-002"]);
        Assert.False(byPost.ContainsKey("P-09-001"), "un poste annuel n'a pas de grille 2025 avant la fin de l'année");

        // Opened on 2025-04-01 (quarterly): only the second quarter.
        Assert.Equal(["2025-T2"], byPost["P-13-002"]);

        // Closed before 2025: nothing.
        Assert.False(byPost.ContainsKey("P-17-002"));
        Assert.All(result.Grids, g => Assert.True(g.Period.End < DateOnly.FromDateTime(midYear.UtcDateTime)));
        Assert.All(result.Grids, g => Assert.Equal(GridSimulator.CellKeys.Count, g.Grid.Values.Count));
    }

    [Fact]
    public void Every_grid_passes_the_validator_of_the_server_without_error_nor_warning()
    {
        var validator = new GridValidator(SchemaCatalog.LoadEmbedded());
        var posts = ReferenceData.LoadEmbeddedPosts().ToDictionary(p => p.Id);
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        foreach (var year in new[] { 2024, 2025, 2026 })
        {
            var result = Simulate(year: year, seed: year);
            Assert.NotEmpty(result.Grids);
            foreach (var simulated in result.Grids)
            {
                var grid = simulated.Grid;
                var post = posts[grid.PostId];
                var context = ValidationContext.For(today, new PostContext(post.Id, post.Frequency, post.ActiveFrom, post.ActiveTo));
                var validation = validator.Validate(new GridInput(grid.PostId, grid.Period, grid.SchemaVersion, grid.Values, grid.Comment), context);

                Assert.True(validation.IsValid, $"{grid.PostId} {grid.Period} : {string.Join(" ; ", validation.Errors.Select(e => $"{e.RuleCode} {e.Path}"))}");
                Assert.Empty(validation.Warnings.Select(w => $"{grid.PostId} {grid.Period} {w.RuleCode} {w.Path}"));
            }
        }
    }

    [Fact]
    public void Breakdowns_add_up_and_figures_are_plausible()
    {
        var result = Simulate(outliers: 0);
        foreach (var grid in result.Grids.Select(g => g.Grid))
        {
            long Sum(string prefix) => grid.Values.Where(v => v.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(v => v.Value);
            var received = grid.Values["personnes_recues"];
            var newPersons = grid.Values["personnes_nouvelles"];
            Assert.Equal(received, Sum("personnes_recues[statut="));
            Assert.Equal(received, Sum("personnes_recues[sexe="));
            Assert.Equal(newPersons, Sum("personnes_nouvelles[origine="));
            Assert.Equal(newPersons, Sum("personnes_nouvelles[connu_services_sociaux="));
            Assert.Equal(grid.Values["entretiens"], Sum("entretiens[modalite="));
            Assert.True(newPersons <= received);
            Assert.True(grid.Values["entretiens"] >= received);
            Assert.True(grid.Values.Values.All(v => v >= 0));
        }

        // A full-time monthly post receives some tens of persons a month, not a handful nor thousands.
        var monthly = result.Grids.Where(g => g.Period.Kind == ReportingFrequency.Month && g.Period.Index == 3).Select(g => g.Grid.Values["personnes_nouvelles"]).Order().ToList();
        var median = monthly[monthly.Count / 2];
        Assert.InRange(median, 12, 60);
    }

    [Fact]
    public void Domestic_violence_peaks_in_summer_and_referrals_from_social_services_drop_in_august()
    {
        var months = Enumerable.Range(1, 12).ToDictionary(m => m, _ => (Violence: 0L, Received: 0L, Social: 0L, New: 0L));
        foreach (var seed in new long[] { 1, 2, 3 })
        {
            foreach (var grid in Simulate(seed: seed, outliers: 0).Grids.Where(g => g.Period.Kind == ReportingFrequency.Month))
            {
                var m = grid.Period.Index;
                var v = grid.Grid.Values;
                var current = months[m];
                months[m] = (
                    current.Violence + v["problematiques[problematique=violences_conjugales]"],
                    current.Received + v["personnes_recues"],
                    current.Social + v["personnes_nouvelles[origine=services_sociaux]"],
                    current.New + v["personnes_nouvelles"]);
            }
        }

        double ViolenceRate(int m) => (double)months[m].Violence / months[m].Received;
        double SocialShare(int m) => (double)months[m].Social / months[m].New;
        Assert.True(ViolenceRate(7) > ViolenceRate(3) * 1.1, $"juillet {ViolenceRate(7):P1}, mars {ViolenceRate(3):P1}");
        Assert.True(ViolenceRate(1) > ViolenceRate(10) * 1.1, $"janvier {ViolenceRate(1):P1}, octobre {ViolenceRate(10):P1}");
        Assert.True(SocialShare(8) < SocialShare(6) * 0.7, $"août {SocialShare(8):P1}, juin {SocialShare(6):P1}");
    }

    [Theory]
    [InlineData(0.03, 0.10)]
    [InlineData(0.10, 0.25)]
    [InlineData(0.0, 0.0)]
    public void The_missing_and_late_shares_are_roughly_respected(double missing, double late)
    {
        var result = Simulate(missing: missing, late: late);
        var expected = result.Grids.Count;

        var missingShare = (double)result.Count(GridFate.Missing) / expected;
        var lateShare = (double)(result.Count(GridFate.Late) + result.Count(GridFate.Pending)) / expected;
        Assert.InRange(missingShare, missing * 0.75 - 0.001, missing * 1.25 + 0.001);
        Assert.InRange(lateShare, late * 0.8 - 0.001, late * 1.2 + 0.001);
        Assert.Equal(result.Grids.Count(g => g.IsSent), result.Sent.Count());
    }

    [Fact]
    public void Reception_dates_follow_the_deadline_and_never_lie_in_the_future()
    {
        var now = new DateTimeOffset(2025, 9, 25, 12, 0, 0, TimeSpan.Zero);
        var result = Simulate(now: now, late: 0.3);
        foreach (var grid in result.Grids)
        {
            var end = grid.Period.End;
            switch (grid.Fate)
            {
                case GridFate.OnTime:
                    var onTimeDay = DateOnly.FromDateTime(grid.ReceivedAt!.Value.UtcDateTime);
                    Assert.InRange(onTimeDay.DayNumber - end.DayNumber, 1, 14);
                    break;
                case GridFate.Late:
                    var lateDay = DateOnly.FromDateTime(grid.ReceivedAt!.Value.UtcDateTime);
                    Assert.InRange(lateDay.DayNumber - end.DayNumber, 16, 60);
                    break;
                default:
                    Assert.Null(grid.ReceivedAt);
                    break;
            }

            Assert.True(grid.ReceivedAt is null || grid.ReceivedAt < now);
        }

        // August grids late by more than 25 days are not received yet on 25 September.
        Assert.Contains(result.Grids, g => g.Fate == GridFate.Pending && g.Grid.Period == "2025-08");
        Assert.True(result.Sent.Select(g => g.ReceivedAt).SequenceEqual(result.Sent.Select(g => g.ReceivedAt).Order()), "envoi dans l'ordre de réception");
    }

    [Fact]
    public void Outliers_multiply_one_indicator_and_its_breakdown_by_eight()
    {
        var plain = Simulate(outliers: 0).Grids.ToDictionary(g => (g.Grid.PostId, g.Grid.Period));
        var planted = Simulate(outliers: 6).Grids.Where(g => g.OutlierIndicator is not null).ToList();

        Assert.Equal(6, planted.Count);
        foreach (var outlier in planted)
        {
            Assert.True(outlier.IsSent);
            var before = plain[(outlier.Grid.PostId, outlier.Grid.Period)];
            var indicator = outlier.OutlierIndicator!;
            Assert.Contains(indicator, GridSimulator.OutlierIndicators);
            foreach (var (key, value) in outlier.Grid.Values)
            {
                var ofIndicator = key == indicator || key.StartsWith(indicator + "[", StringComparison.Ordinal);
                Assert.Equal(ofIndicator ? before.Grid.Values[key] * 8 : before.Grid.Values[key], value);
            }

            Assert.True(before.Grid.Values[indicator] >= 3);
            Assert.NotEqual(before.SubmissionId, outlier.SubmissionId);
        }

        // Monthly grids from July on, where the post's own history shows them.
        Assert.All(planted, o => Assert.True(o.Period.Kind == ReportingFrequency.Month && o.Period.Index >= 7));
    }

    [Fact]
    public void Larger_posts_and_busier_departments_get_more_activity()
    {
        var result = Simulate(seed: 11, outliers: 0);
        var yearly = result.Grids.Where(g => g.Period.Kind == ReportingFrequency.Month)
            .GroupBy(g => g.Grid.PostId)
            .Where(g => g.Count() == 12)
            .ToDictionary(g => g.Key, g => g.Sum(x => x.Grid.Values["personnes_nouvelles"]));
        var posts = Posts.ToDictionary(p => p.Id);

        double Average(Func<Post, bool> filter)
        {
            var values = yearly.Where(y => filter(posts[y.Key])).Select(y => (double)y.Value).ToList();
            Assert.NotEmpty(values);
            return values.Average();
        }

        Assert.True(Average(p => p.Fte >= 1.0) > Average(p => p.Fte <= 0.5) * 1.4);
    }
}
