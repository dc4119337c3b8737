using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Tests.Consolidation;

namespace Observatoire.Core.Tests.Disclosure;

/// <summary>
/// Which snapshot publishes a year: fresh at the next query when its plan is ready in time, otherwise the previous
/// published table whole (values and plan of one instant), one snapshot planned at a time, other years untouched.
/// </summary>
public class PublishedTablesTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly SecrecyPlanner Planner = new(new SecrecyOptions { Threshold = 5, ProtectionRange = 2 });

    [Fact]
    public void A_change_of_the_year_is_published_at_the_next_query_when_its_plan_is_ready_in_time()
    {
        var (world, year, indicator) = World(11);
        var consolidator = world.NewConsolidator();
        var tables = new PublishedTables(() => consolidator, Planner, Long, years: 4);
        var before = tables.For(year, indicator);

        var changed = Revise(world, year);
        var after = tables.For(year, indicator);

        Assert.NotSame(before.Snapshot, after.Snapshot);
        Assert.Equal(world.Cube.VersionOf(year), after.Snapshot.Version);
        Assert.Equal(Total(world.NewConsolidator(), changed, indicator), Total(after.Snapshot, changed, indicator));
    }

    [Fact]
    public void While_the_new_plan_is_made_the_previous_table_is_served_whole_then_the_new_one()
    {
        var (world, year, indicator) = World(12);
        var consolidator = world.NewConsolidator();
        var tables = new PublishedTables(() => consolidator, Planner, TimeSpan.FromMilliseconds(50), years: 4);
        var before = tables.For(year, indicator);
        var gate = new TaskCompletionSource();
        tables.PlanningGate = gate.Task;

        var changed = Revise(world, year);
        var oldTotal = Total(before.Snapshot, changed, indicator);
        Assert.NotEqual(oldTotal, Total(world.NewConsolidator(), changed, indicator));
        var during = tables.For(year, indicator);

        Assert.Same(before, during);
        Assert.Equal(oldTotal, Total(during.Snapshot, changed, indicator));

        gate.SetResult();
        tables.PlanningGate = null;
        var fresh = new PublishedTables(() => consolidator, Planner, Long, years: 4);
        var after = WaitFor(() => tables.For(year, indicator), t => t.Snapshot.Version == world.Cube.VersionOf(year));
        Assert.Equal(fresh.For(year, indicator).Secrecy!.Plan.Statuses, after.Secrecy!.Plan.Statuses);
    }

    [Fact]
    public async Task Before_the_year_s_first_plan_an_interactive_reader_is_told_it_is_pending_and_a_report_waits_for_it()
    {
        var (world, year, indicator) = World(15);
        var consolidator = world.NewConsolidator();
        var tables = new PublishedTables(() => consolidator, Planner, TimeSpan.FromMilliseconds(50), years: 4);
        var gate = new TaskCompletionSource();
        tables.PlanningGate = gate.Task;

        var pending = tables.For(year, indicator, waitForPlan: false);
        Assert.True(pending.Pending);
        Assert.Null(pending.Secrecy);
        Assert.Equal(world.Cube.Version, pending.Snapshot.Version);

        var report = Task.Run(() => tables.For(year, indicator, waitForPlan: true));
        var first = await Task.WhenAny(report, Task.Delay(200));
        Assert.NotSame(report, first);
        gate.SetResult();
        var planned = await report.WaitAsync(Long);
        Assert.False(planned.Pending);
        Assert.Same(pending.Snapshot, planned.Snapshot);

        // Once made, the plan is what every reader gets, the interactive one too.
        Assert.Same(planned.Secrecy, tables.For(year, indicator, waitForPlan: false).Secrecy);
    }

    [Fact]
    public void A_failed_plan_withholds_every_figure_below_the_nation_publishes_the_nation_and_is_planned_again()
    {
        var (world, year, indicator) = World(18);
        var consolidator = world.NewConsolidator();
        var failing = new Failing();
        var tables = new PublishedTables(() => consolidator, Planner, Long, years: 4, failing.Events(TimeSpan.Zero));
        var cell = RandomWorld.Schema.Layout.Cells[RandomWorld.Schema.Layout.IndexOf(indicator.Code)];
        var department = new AreaRef(AreaLevel.Department, consolidator.Registry.Departments.Keys.First());
        var region = new AreaRef(AreaLevel.Region, consolidator.Registry.Regions.Keys.First());

        foreach (var waitForPlan in new[] { true, false })
        {
            var failed = tables.For(year, indicator, waitForPlan);

            Assert.True(failed.Failed);
            Assert.Null(failed.Secrecy);
            Assert.Equal(world.Cube.Version, failed.Snapshot.Version);
            Assert.Equal(CellConfidentiality.Withheld, failed.StatusOf(department, Period.Month(year, 3), cell));
            Assert.Equal(CellConfidentiality.Withheld, failed.StatusOf(region, Period.OfYear(year), cell, Consolidator.DistinctCounts.Cumulated));
            Assert.Equal(CellConfidentiality.Free, failed.StatusOf(AreaRef.National, Period.Quarter(year, 2), cell));
        }

        var failure = failing.Failures.First();
        Assert.Equal((year, indicator.Code, world.Cube.Version), (failure.Year, failure.Indicator, failure.Version));
        Assert.IsType<InvalidOperationException>(failure.Error);

        failing.Fail = false;
        var planned = tables.For(year, indicator);
        Assert.False(planned.Failed);
        Assert.NotNull(planned.Secrecy);
        Assert.Equal(planned.Secrecy.StatusOf(department, Period.Month(year, 3), cell), planned.StatusOf(department, Period.Month(year, 3), cell));
    }

    [Fact]
    public void A_failed_plan_is_not_tried_again_before_its_retry_delay_but_is_on_new_data()
    {
        var (world, year, indicator) = World(19);
        var consolidator = world.NewConsolidator();
        var failing = new Failing();
        var tables = new PublishedTables(() => consolidator, Planner, Long, years: 4, failing.Events(Long));

        Assert.True(tables.For(year, indicator).Failed);
        Assert.True(tables.For(year, indicator, waitForPlan: false).Failed);
        Assert.Single(failing.Failures);

        failing.Fail = false;
        Assert.True(tables.For(year, indicator).Failed);
        Revise(world, year);
        var planned = tables.For(year, indicator);
        Assert.False(planned.Pending);
        Assert.Equal(world.Cube.VersionOf(year), planned.Snapshot.Version);
    }

    [Fact]
    public void A_failed_plan_of_new_data_leaves_the_last_complete_table_published()
    {
        var (world, year, indicator) = World(20);
        var consolidator = world.NewConsolidator();
        var failing = new Failing { Fail = false };
        var tables = new PublishedTables(() => consolidator, Planner, Long, years: 4, failing.Events(TimeSpan.Zero));
        var before = tables.For(year, indicator);

        failing.Fail = true;
        Revise(world, year);

        Assert.Same(before, tables.For(year, indicator));
        Assert.Same(before, tables.For(year, indicator, waitForPlan: false));
        Assert.NotEmpty(failing.Failures);
    }

    [Fact]
    public void A_change_in_another_year_keeps_the_year_s_published_table()
    {
        var (world, year, indicator) = World(13);
        var consolidator = world.NewConsolidator();
        var tables = new PublishedTables(() => consolidator, Planner, Long, years: 4);
        var before = tables.For(year, indicator);

        Revise(world, world.Applied.Select(g => g.Period.Year).First(y => y != year));

        var after = tables.For(year, indicator);
        Assert.Same(before.Snapshot, after.Snapshot);
        Assert.Same(before.Secrecy, after.Secrecy);
    }

    [Fact]
    public void One_snapshot_of_a_year_is_planned_at_a_time_however_many_changes_arrive()
    {
        var (world, year, indicator) = World(14);
        var consolidator = world.NewConsolidator();
        var tables = new PublishedTables(() => consolidator, Planner, TimeSpan.FromMilliseconds(20), years: 4);
        var before = tables.For(year, indicator);
        var gate = new TaskCompletionSource();
        tables.PlanningGate = gate.Task;

        Revise(world, year);
        Assert.Same(before, tables.For(year, indicator));
        var planning = tables.Latest(year);
        Revise(world, year);
        Assert.Same(before, tables.For(year, indicator));

        Assert.Same(planning, tables.Latest(year));
        Assert.True(planning!.Version < world.Cube.VersionOf(year));
        tables.PlanningGate = null;
        gate.SetResult();
        var after = WaitFor(() => tables.For(year, indicator), t => t.Snapshot.Version == world.Cube.VersionOf(year));
        Assert.NotSame(planning, after.Snapshot);
    }

    [Fact]
    public void A_new_registry_is_a_change_of_every_year()
    {
        var (world, year, indicator) = World(16);
        var consolidator = world.NewConsolidator();
        var tables = new PublishedTables(() => consolidator, Planner, Long, years: 4);
        var before = tables.For(year, indicator);

        consolidator = world.NewConsolidator();

        Assert.NotSame(before.Snapshot, tables.For(year, indicator).Snapshot);
    }

    [Fact]
    public void Warming_a_year_plans_every_indicator_of_it_on_one_snapshot()
    {
        var (world, year, indicator) = World(17);
        var consolidator = world.NewConsolidator();
        var tables = new PublishedTables(() => consolidator, Planner, Long, years: 4);

        tables.Warm(year);

        var warmed = tables.Latest(year)!;
        Assert.Equal(RandomWorld.Schema.Indicators.Select(i => i.Code).Order(), warmed.Indicators.Order());
        Assert.Same(warmed, tables.For(year, indicator).Snapshot);
    }

    [Fact]
    public async Task A_request_that_reads_many_indicators_waits_for_their_plans_once_in_all()
    {
        // A department's year as of a new instant: no plan asked yet for any of its indicators. Waited one after the
        // other, each indicator's wait would add up (six here, 69 in the Ministry's grid).
        var (world, year, _) = World(21);
        var consolidator = world.NewConsolidator();
        var wait = TimeSpan.FromMilliseconds(300);
        var tables = new PublishedTables(() => consolidator, Planner, wait, years: 4) { PlanningGate = new TaskCompletionSource().Task };
        var indicators = RandomWorld.Schema.Indicators.Take(6).ToList();
        Assert.Equal(6, indicators.Count);

        var (elapsed, tablesRead) = await Task.Run(() =>
        {
            ReaderWait.Begin();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var read = indicators.Select(i => tables.For(year, i, waitForPlan: false)).ToList();
            return (clock.Elapsed, read);
        });

        Assert.All(tablesRead, t => Assert.True(t.Pending));
        Assert.InRange(elapsed, wait * 0.9, wait * 3);
    }

    [Fact]
    public void Abandoned_tables_cancel_the_plans_no_one_waits_for_without_reporting_them_failed()
    {
        var (world, year, indicator) = World(22);
        var consolidator = world.NewConsolidator();
        var failing = new Failing { Fail = false };
        var started = 0;
        var events = failing.Events(Long);
        events = events with { Starting = (_, _) => Interlocked.Increment(ref started) };
        var tables = new PublishedTables(() => consolidator, Planner, TimeSpan.FromMilliseconds(20), years: 4, events);
        var gate = new TaskCompletionSource();
        tables.PlanningGate = gate.Task;
        Assert.True(tables.For(year, indicator, waitForPlan: false).Pending);
        var abandoned = tables.Latest(year)!.PlanAsync(indicator);

        tables.Abandon();
        gate.SetResult();

        // No reader waits: the plan ends cancelled, the planner never ran, and no failure is reported.
        Assert.Throws<AggregateException>(() => abandoned.Wait(Long));
        Assert.IsType<OperationCanceledException>(abandoned.Exception!.InnerException);
        Assert.Equal(0, started);
        Assert.Empty(failing.Failures);
    }

    [Fact]
    public async Task A_reader_still_holding_abandoned_tables_gets_its_plan_made_not_a_withheld_table()
    {
        // An export or an edition reads figures dropped from memory meanwhile (another reader asked for other instants):
        // what it publishes must not change, so the plan it waits for is made, whether the reader came before the
        // abandonment or after the plan queued then was cancelled.
        var (world, year, indicator) = World(23);
        var consolidator = world.NewConsolidator();
        var expected = new PublishedTables(() => consolidator, Planner, Long, years: 4).For(year, indicator);
        var indicators = consolidator.SchemaFor(Period.OfYear(year)).Indicators;
        var other = indicators.First(i => i.Code != indicator.Code);

        var tables = new PublishedTables(() => consolidator, Planner, TimeSpan.FromMilliseconds(20), years: 4);
        var gate = new TaskCompletionSource();
        tables.PlanningGate = gate.Task;
        Assert.True(tables.For(year, indicator, waitForPlan: false).Pending);
        Assert.True(tables.For(year, other, waitForPlan: false).Pending);
        var waiting = Task.Run(() => tables.For(year, indicator, waitForPlan: true));
        Assert.True(SpinWait.SpinUntil(() => waiting.Status == TaskStatus.Running, Long));
        Thread.Sleep(50);

        tables.Abandon();
        gate.SetResult();
        await Assert.ThrowsAsync<OperationCanceledException>(() => tables.Latest(year)!.PlanAsync(other).WaitAsync(Long));

        var waited = await waiting.WaitAsync(Long);
        var late = tables.For(year, other, waitForPlan: true);

        Assert.False(waited.Failed);
        Assert.Equal(expected.Secrecy!.Plan.Statuses, waited.Secrecy!.Plan.Statuses);
        Assert.False(late.Failed);
        Assert.NotNull(late.Secrecy);
    }

    [Fact]
    public void A_frozen_cube_does_not_see_later_grids()
    {
        var (world, year, _) = World(15);
        var frozen = world.Cube.Freeze();
        var version = world.Cube.Version;

        var changed = Revise(world, year);

        Assert.Equal(version, frozen.Version);
        Assert.NotEqual(world.Cube.Find(changed.PostId, changed.Period)!.Revision, frozen.Find(changed.PostId, changed.Period)!.Revision);
        Assert.True(world.Cube.VersionOf(year) > version);
    }

    /// <summary>A planner failure on demand, as a host's test setting causes it, and the failures reported.</summary>
    private sealed class Failing
    {
        public volatile bool Fail = true;

        public System.Collections.Concurrent.ConcurrentQueue<PlanFailure> Failures { get; } = new();

        public PlanningEvents Events(TimeSpan retryAfter) => new()
        {
            Starting = (_, _) =>
            {
                if (Fail)
                {
                    throw new InvalidOperationException("Échec provoqué.");
                }
            },
            Failed = Failures.Enqueue,
            RetryAfter = retryAfter,
        };
    }

    private static (RandomWorld World, int Year, Indicator Indicator) World(int seed)
    {
        var world = RandomWorld.Generate(seed);
        var year = world.Applied.GroupBy(g => g.Period.Year).MaxBy(g => g.Count())!.Key;
        var indicator = RandomWorld.Schema.Indicators.Where(i => i.HasTotal && i.Aggregation == Aggregation.Sum).MinBy(i => i.Breakdowns.Count)!;
        return (world, year, indicator);
    }

    /// <summary>A new revision of one of the year's grids, with another grid's figures (three times, so it differs).</summary>
    private static CubeGrid Revise(RandomWorld world, int year)
    {
        var grid = world.Applied.Where(g => g.Period.Year == year && g.SchemaVersion == RandomWorld.SchemaVersion).OrderBy(g => g.PostId, StringComparer.Ordinal).ThenBy(g => g.Period).First();
        var current = world.Cube.Find(grid.PostId, grid.Period)!;
        var revised = current with { Revision = current.Revision + 1, Cells = [.. current.Cells.Select(v => (v * 3) + 1)] };
        world.Cube.Apply(revised);
        return revised;
    }

    private static long? Total(Consolidator consolidator, CubeGrid grid, Indicator indicator) =>
        consolidator.ForHierarchy(grid.Period)[AreaRef.National].ValueOf(RandomWorld.Schema.Layout.IndexOf(indicator.Code));

    private static long? Total(PublicationSnapshot snapshot, CubeGrid grid, Indicator indicator) =>
        snapshot.Hierarchy(grid.Period, Consolidator.DistinctCounts.Exact)[AreaRef.National].ValueOf(RandomWorld.Schema.Layout.IndexOf(indicator.Code));

    private static PublishedTable WaitFor(Func<PublishedTable> read, Func<PublishedTable, bool> done)
    {
        var deadline = DateTime.UtcNow + Long;
        while (true)
        {
            var table = read();
            if (done(table) || DateTime.UtcNow > deadline)
            {
                return table;
            }

            Thread.Sleep(20);
        }
    }
}
