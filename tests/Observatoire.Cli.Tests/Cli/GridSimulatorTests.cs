using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Data;
using Observatoire.Protos.V1;
using Observatoire.Server.Grpc;
using Observatoire.Simulation;
using Aggregation = Observatoire.Protos.V1.Aggregation;
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

    /// <summary>The schema as the server serves it.</summary>
    private static readonly SimulationSchema Schema = new(ProtoMapping.ToProto(SchemaCatalog.LoadEmbedded().Find("2025.1")!));

    private static GridSimulator Simulator(int year = 2025, long seed = 7, double missing = 0.03, double late = 0.10, int outliers = 5, DateTimeOffset? now = null, SimulationSchema? schema = null) =>
        new(Posts, Departments, schema ?? Schema, new SimulationOptions
        {
            Year = year,
            Now = now ?? Now,
            Seed = seed,
            Missing = missing,
            Late = late,
            Outliers = outliers,
        });

    private static SimulationResult Simulate(int year = 2025, long seed = 7, double missing = 0.03, double late = 0.10, int outliers = 5, DateTimeOffset? now = null) =>
        Simulator(year, seed, missing, late, outliers, now).Run();

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
        Assert.All(result.Grids, g => Assert.Equal(Schema.CellKeys.Count, g.Grid.Values.Count));
    }

    [Fact]
    public void Every_grid_passes_the_validator_of_the_server_without_error_nor_warning_and_bilans_agree_with_their_months()
    {
        var validator = new GridValidator(SchemaCatalog.LoadEmbedded());
        var posts = ReferenceData.LoadEmbeddedPosts().ToDictionary(p => p.Id);
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        foreach (var year in new[] { 2024, 2025, 2026 })
        {
            var result = Simulate(year: year, seed: year, outliers: 0);
            Assert.NotEmpty(result.Grids);
            var sentByPost = result.Sent.Where(g => !g.IsYearlyBilan).ToLookup(g => g.Grid.PostId);
            foreach (var simulated in result.Grids)
            {
                var grid = simulated.Grid;
                var post = posts[grid.PostId];
                var sameYear = simulated.IsYearlyBilan
                    ? sentByPost[grid.PostId].Select(g => new PeriodGrid(Observatoire.Core.Periods.Period.Parse(g.Grid.Period), g.Grid.Values)).ToList()
                    : null;
                var context = new ValidationContext(today, new PostContext(post.Id, post.Frequency, post.ActiveFrom, post.ActiveTo), [], sameYear);
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
        var monthly = result.Grids.Where(g => g.Period.Kind == ReportingFrequency.Month && g.Period.Index == 3).Select(g => g.Grid.Values["personnes_recues"]).Order().ToList();
        var median = monthly[monthly.Count / 2];
        Assert.InRange(median, 15, 90);
    }

    [Fact]
    public void A_new_grid_version_is_simulated_from_the_served_schema_without_code_change()
    {
        // A 2026 grid: an indicator renamed (rules included), a new option, a new multi-valued indicator.
        var served = ProtoMapping.ToProto(SchemaCatalog.LoadEmbedded().Find("2025.1")!);
        served.Version = "2026.1";
        var text = Google.Protobuf.JsonFormatter.Default.Format(served).Replace("personnes_nouvelles", "primo_accueils", StringComparison.Ordinal);
        var schema2026 = Google.Protobuf.JsonParser.Default.Parse<Schema>(text);
        var firstDimension = schema2026.Sections.SelectMany(s => s.Indicators).SelectMany(i => i.Breakdowns).First().Dimensions[0];
        firstDimension.Options.Add(new Option { Code = "tiers", Label = "Tiers" });
        var extra = schema2026.Sections[0].Indicators[0].Clone();
        extra.Code = "demarches_administratives";
        extra.HasTotal = false;
        extra.Aggregation = Aggregation.Sum;
        extra.Breakdowns.RemoveAt(1);
        extra.Breakdowns[0].SumsToTotal = false;
        extra.Breakdowns[0].Aggregation = Aggregation.Sum;
        schema2026.Sections[0].Indicators.Add(extra);
        var model = new SimulationSchema(schema2026);

        var result = Simulator(schema: model, outliers: 3).Run(p => p.DepartmentCode is "01" or "75");

        Assert.NotEmpty(result.Grids);
        Assert.Contains(model.Orderings, o => o.Smaller == "primo_accueils");
        foreach (var grid in result.Grids.Select(g => g.Grid))
        {
            Assert.Equal("2026.1", grid.SchemaVersion);
            Assert.Equal(model.CellKeys.Order(StringComparer.Ordinal), grid.Values.Keys.Order(StringComparer.Ordinal));
            foreach (var group in model.Cells.Where(c => !c.IsTotal && c.Breakdown!.SumsToTotal).GroupBy(c => (c.Indicator.Code, c.Breakdown!.Code)))
            {
                Assert.Equal(grid.Values[group.Key.Item1], group.Sum(c => grid.Values[c.Key]));
            }

            Assert.All(model.Orderings, o => Assert.True(grid.Values[o.Smaller] <= grid.Values[o.Larger], $"{grid.PostId} {grid.Period} {o}"));
        }
    }

    [Fact]
    public void Every_post_sends_its_yearly_bilan_consistent_with_all_its_months()
    {
        var result = Simulate(outliers: 0, missing: 0.1);

        var bilans = result.Grids.Where(g => g.IsYearlyBilan).ToDictionary(g => g.Grid.PostId);
        var monthly = result.Grids.Where(g => g.Period.Kind == ReportingFrequency.Month).GroupBy(g => g.Grid.PostId).Where(g => g.Count() == 12).ToList();
        Assert.NotEmpty(monthly);
        Assert.Contains(bilans.Values, b => b.Fate == GridFate.Missing);
        Assert.DoesNotContain(result.Grids, g => g.IsYearlyBilan && Posts.Single(p => p.Id == g.Grid.PostId).Frequency == ReportingFrequency.Year);
        foreach (var months in monthly)
        {
            var bilan = bilans[months.Key].Grid.Values;
            foreach (var cell in Schema.Cells)
            {
                var values = months.Select(m => m.Grid.Values[cell.Key]).ToList();
                switch (cell.Aggregation)
                {
                    case Aggregation.Sum:
                        Assert.Equal(values.Sum(), bilan[cell.Key]);
                        break;
                    case Aggregation.Last:
                        Assert.Equal(months.Single(m => m.Period.Index == 12).Grid.Values[cell.Key], bilan[cell.Key]);
                        break;
                    default:
                        Assert.InRange(bilan[cell.Key], values.Max(), values.Sum());
                        break;
                }
            }
        }
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
        var simulator = Simulator(outliers: 6);
        var planted = simulator.Run().Grids.Where(g => g.OutlierIndicator is not null).ToList();

        Assert.Equal(6, planted.Count);
        foreach (var outlier in planted)
        {
            Assert.True(outlier.IsSent);
            var before = plain[(outlier.Grid.PostId, outlier.Grid.Period)];
            var indicator = outlier.OutlierIndicator!;
            Assert.Contains(indicator, simulator.OutlierIndicators);
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
