using System.Collections.Concurrent;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// Consolidates grids post → department → region → nation for any month, quarter or year.
/// A post's figure for a period comes from its grid for exactly that period, otherwise from the
/// grids that tile it without overlap (a quarter grid is preferred to its months). SUM cells add
/// up, LAST cells take the last sub-period, NONE cells are derivable only from a grid of exactly
/// the period. A grid is never counted twice. When the schema has a yearly bilan, a year's figures
/// come from each post's bilan where it exists; the distinct persons of an area's year add up the
/// bilans received and are partial while some are missing.
/// </summary>
public sealed class Consolidator(SchemaCatalog catalog, RegistrySnapshot registry, GridCube cube)
{
    /// <summary>How distinct-person cells (aggregation NONE) are treated across sub-periods.</summary>
    public enum DistinctCounts
    {
        /// <summary>Not derivable unless one grid covers exactly the period: the figures of record.</summary>
        Exact,

        /// <summary>
        /// Added up over the grids used, as filed: a person received in several periods counts in each.
        /// Only for distributions (shares of a breakdown), always labelled as such, never as a count of persons.
        /// </summary>
        Cumulated,
    }

    private readonly ConcurrentDictionary<(string From, string To), int[]> _cellMaps = new();

    public RegistrySnapshot Registry => registry;

    public GridCube Cube => cube;

    /// <summary>A consolidator over a frozen copy of the cube: its figures stay those of this instant.</summary>
    public Consolidator Frozen() => new(catalog, registry, cube.Freeze());

    /// <summary>The schema whose layout figures of a period use: the one covering it, else the newest.</summary>
    public GridSchema SchemaFor(Period period) => catalog.Covering(period) ?? catalog.Latest;

    /// <summary>The consolidated figures of an area (a post, a department, a region or the nation).</summary>
    public AreaFigures ForArea(AreaRef area, Period period, DistinctCounts distinct = DistinctCounts.Exact)
    {
        var schema = SchemaFor(period);
        if (area.Level == AreaLevel.Post)
        {
            return ForPost(registry.Posts[area.Code], period, schema, distinct);
        }

        var result = new AreaFigures(area, period, schema);
        foreach (var post in registry.Posts.Values)
        {
            if (registry.Contains(area, registry.LocationOf(post, period)))
            {
                var figures = ForPost(post, period, schema, distinct);
                if (figures.HasData)
                {
                    result.Add(figures);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Every department, region and the nation for one period, in one pass over the posts: the
    /// hierarchy whose margins disclosure control protects together.
    /// </summary>
    public IReadOnlyDictionary<AreaRef, AreaFigures> ForHierarchy(Period period, DistinctCounts distinct = DistinctCounts.Exact) =>
        HierarchyTable(period, distinct).Areas;

    /// <summary>The hierarchy of a period with the post figures it was added up from, for <see cref="Update"/>.</summary>
    public HierarchyTable HierarchyTable(Period period, DistinctCounts distinct = DistinctCounts.Exact)
    {
        var schema = SchemaFor(period);
        var posts = new PostInfo[registry.Posts.Count];
        var departments = new string?[posts.Length];
        var figures = new AreaFigures[posts.Length];
        var i = 0;
        foreach (var post in registry.Posts.Values)
        {
            var department = registry.LocationOf(post, period);
            posts[i] = post;
            departments[i] = registry.Departments.ContainsKey(department) ? department : null;
            figures[i] = ForPost(post, period, schema, distinct);
            i++;
        }

        var result = new Dictionary<AreaRef, AreaFigures>();
        var members = new Dictionary<AreaRef, List<int>>();
        foreach (var area in (IEnumerable<AreaRef>)[
            AreaRef.National,
            .. registry.Regions.Keys.Select(r => new AreaRef(AreaLevel.Region, r)),
            .. registry.Departments.Keys.Select(d => new AreaRef(AreaLevel.Department, d))])
        {
            result[area] = AreaFigures.ForHierarchy(area, period, schema);
            members[area] = [];
        }

        for (i = 0; i < posts.Length; i++)
        {
            if (departments[i] is not { } department)
            {
                continue;
            }

            foreach (var area in AreasOf(department))
            {
                members[area].Add(i);
                if (figures[i].HasData)
                {
                    result[area].Add(figures[i]);
                }
            }
        }

        var postIndex = new Dictionary<string, int>(posts.Length, StringComparer.Ordinal);
        for (i = 0; i < posts.Length; i++)
        {
            postIndex[posts[i].Id] = i;
        }

        return new HierarchyTable(this, period, distinct, schema, posts, departments, figures, result)
        {
            Members = members.ToDictionary(m => m.Key, m => m.Value.ToArray()),
            PostIndex = postIndex,
        };
    }

    /// <summary>
    /// The table of <paramref name="table"/>'s period as the cube holds it now, when only the grids of
    /// <paramref name="changed"/> posts changed since it was made: their figures are computed again, and each area they
    /// count in moves by the difference between their old and new figures (<see cref="AreaFigures.Replace"/>), so the
    /// work grows with the posts changed, not with the posts of the nation. The figures are identical to a new table's
    /// (<see cref="HierarchyTable(Period, DistinctCounts)"/>), lists of missing grids in the same order included. The
    /// tables given are never modified: readers may hold them.
    /// </summary>
    public HierarchyTable Update(HierarchyTable table, IReadOnlySet<string> changed)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(changed);
        if (table.Source != this)
        {
            throw new ArgumentException("The table was made by another consolidator (another registry).", nameof(table));
        }

        var figures = (AreaFigures[])table.PostFigures.Clone();
        // The tables this class makes hold a Dictionary: copied as one (its buckets), not entry by entry.
        var areas = table.Areas is Dictionary<AreaRef, AreaFigures> held ? new Dictionary<AreaRef, AreaFigures>(held) : new Dictionary<AreaRef, AreaFigures>(table.Areas);
        var stale = new Dictionary<AreaRef, AreaFigures.Stale>();
        foreach (var id in changed)
        {
            if (!table.PostIndex.TryGetValue(id, out var i))
            {
                continue; // not in the registry: in no area
            }

            var old = figures[i];
            figures[i] = ForPost(table.Posts[i], table.Period, table.Schema, table.Distinct);
            if (table.Departments[i] is not { } department)
            {
                continue;
            }

            foreach (var area in AreasOf(department))
            {
                if (!stale.TryGetValue(area, out var fields))
                {
                    // Copied once per update: readers of the previous table keep its figures.
                    areas[area] = table.Areas[area].Copy();
                    fields = AreaFigures.Stale.None;
                }

                stale[area] = fields | areas[area].Replace(old, figures[i]);
            }
        }

        foreach (var (area, fields) in stale)
        {
            if (fields != AreaFigures.Stale.None)
            {
                areas[area].Rescan(fields, table.Members[area], figures);
            }
        }

        return table with { PostFigures = figures, Areas = areas };
    }

    /// <summary>The department, region and nation a post located in <paramref name="department"/> counts in.</summary>
    private AreaRef[] AreasOf(string department) =>
        [new AreaRef(AreaLevel.Department, department), new AreaRef(AreaLevel.Region, registry.Departments[department].RegionCode), AreaRef.National];

    /// <summary>One post's figures for a period, from its own grids.</summary>
    public AreaFigures ForPost(PostInfo post, Period period, GridSchema schema, DistinctCounts distinct = DistinctCounts.Exact)
    {
        var result = new AreaFigures(new AreaRef(AreaLevel.Post, post.Id), period, schema);
        var tiling = new Tiling();
        Tile(post, period, tiling);

        var expected = post.ActiveDuring(period);
        if (!expected && tiling.Grids.Count == 0)
        {
            return result;
        }

        result.ExpectedPosts = expected ? 1 : 0;
        result.DuePosts = expected && post.ReportingKind <= period.Kind ? 1 : 0;
        result.Fte = expected ? post.Fte : 0;
        result.ContributingPosts = tiling.Grids.Count > 0 ? 1 : 0;
        result.IncompatiblePosts = tiling.Incompatible && tiling.Grids.Count == 0 ? 1 : 0;
        result.GridsUsed = tiling.Grids.Count;
        result.Missing.AddRange(tiling.Missing.Select(p => new MissingGrid(post.Id, p)));
        if (period.Kind == PeriodKind.Year && schema.YearlyBilan is not null && expected)
        {
            // Every post owes its yearly bilan: the year's distinct persons exist only there.
            if (tiling.Grids.Count == 1 && tiling.Grids[0].Period == period)
            {
                result.YearlyBilans = 1;
            }
            else
            {
                result.MissingBilans.Add(new MissingGrid(post.Id, period));
            }
        }

        if (tiling.Incompatible && tiling.Grids.Count > 0)
        {
            // Some sub-periods exist only inside a coarser grid: the figure does not cover the whole period.
            result.Missing.Add(new MissingGrid(post.Id, period));
        }

        if (tiling.Grids.Count == 0)
        {
            // Nothing received. Distinct persons could only come from a grid of exactly the period; an area
            // sum ignores this post's derivability (it contributes nothing), see AreaFigures.Add.
            if (period.Kind != post.ReportingKind && distinct == DistinctCounts.Exact)
            {
                foreach (var cell in schema.Layout.Cells.Where(c => c.Aggregation == Aggregation.None))
                {
                    result.Derivable[cell.Index] = false;
                }
            }

            return result;
        }

        tiling.Grids.Sort((a, b) => a.Period.CompareTo(b.Period));
        var exact = distinct == DistinctCounts.Cumulated || (tiling.Grids.Count == 1 && tiling.Grids[0].Period == period);
        foreach (var grid in tiling.Grids)
        {
            result.SchemaVersions.Add(grid.SchemaVersion);
            if (result.DataAsOf is null || grid.ReceivedUtc > result.DataAsOf)
            {
                result.DataAsOf = grid.ReceivedUtc;
            }
        }

        // Each grid's cell map looked up once, not once per cell.
        var maps = new int[tiling.Grids.Count][];
        for (var g = 0; g < maps.Length; g++)
        {
            maps[g] = Map(tiling.Grids[g].SchemaVersion, schema);
        }

        var cells = schema.Layout.Cells;
        foreach (var cell in cells)
        {
            var aggregation = cell.Aggregation;
            if (aggregation == Aggregation.None && !exact)
            {
                result.Derivable[cell.Index] = false;
                continue;
            }

            long value = 0;
            var known = true;
            for (var g = 0; g < maps.Length; g++)
            {
                var grid = tiling.Grids[g];
                var source = maps[g][cell.Index];
                if (source < 0)
                {
                    known = false;
                    break;
                }

                value = aggregation == Aggregation.Last ? grid.Cells[source] : value + grid.Cells[source];
            }

            result.Values[cell.Index] = known ? value : 0;
            result.Derivable[cell.Index] = known;
        }

        return result;
    }

    private void Tile(PostInfo post, Period period, Tiling tiling)
    {
        if (cube.Find(post.Id, period) is { } grid)
        {
            tiling.Grids.Add(grid);
            return;
        }

        if (!post.ActiveDuring(period))
        {
            return;
        }

        if (period.Kind != PeriodKind.Month)
        {
            var finer = period.Kind == PeriodKind.Year ? PeriodKind.Quarter : PeriodKind.Month;
            var sub = new Tiling();
            foreach (var child in period.Split(finer))
            {
                Tile(post, child, sub);
            }

            if (sub.Grids.Count > 0 || period.Kind > post.ReportingKind)
            {
                tiling.Merge(sub);
                return;
            }
        }

        if (period.Kind == post.ReportingKind)
        {
            tiling.Missing.Add(period);
        }
        else
        {
            // Finer than the post reports: its coarser grid cannot be split.
            tiling.Incompatible = true;
        }
    }

    /// <summary>For each cell of the target schema, its index in the source schema (-1 when absent).</summary>
    private int[] Map(string sourceVersion, GridSchema target) =>
        _cellMaps.TryGetValue((sourceVersion, target.Version), out var map)
            ? map
            : _cellMaps.GetOrAdd((sourceVersion, target.Version), BuildMap(sourceVersion, target));

    // Apart from Map so that its lookups allocate no closure.
    private int[] BuildMap(string sourceVersion, GridSchema target)
    {
        var source = catalog.Find(sourceVersion);
        return [.. target.Layout.Cells.Select(c => source is not null && source.Layout.TryGetIndex(c.Key, out var i) ? i : -1)];
    }

    private sealed class Tiling
    {
        public List<CubeGrid> Grids { get; } = [];

        public List<Period> Missing { get; } = [];

        public bool Incompatible { get; set; }

        public void Merge(Tiling other)
        {
            Grids.AddRange(other.Grids);
            Missing.AddRange(other.Missing);
            Incompatible |= other.Incompatible;
        }
    }
}
