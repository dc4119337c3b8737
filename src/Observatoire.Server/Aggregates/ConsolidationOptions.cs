namespace Observatoire.Server.Aggregates;

/// <summary>Consolidation settings, bound to the "Consolidation" configuration section.</summary>
public sealed class ConsolidationOptions
{
    public const string SectionName = "Consolidation";

    /// <summary>Days after a period's end during which a grid is on time (default 15).</summary>
    public int DeadlineDays { get; set; } = 15;

    /// <summary>Primary suppression threshold k: published counts from 1 to k−1 are suppressed (default 5, at least 3).</summary>
    public int SuppressionThreshold { get; set; } = 5;

    /// <summary>
    /// Sliding protection range: the interval a reader can derive for a primary cell from everything published is
    /// at least this wide (default 2; from 1 to k−2).
    /// </summary>
    public int ProtectionRange { get; set; } = 2;

    /// <summary>
    /// Directions (a cell's raise or lowering) a suppression plan may search by linear programs to widen cells that hypercubes protect only partly (default 200):
    /// it bounds planning time. Cells that no hypercube protects at all always get theirs.
    /// </summary>
    public int MaxLinearPrograms { get; set; } = 200;

    /// <summary>
    /// Work allowed to a plan's second pass, which widens the primary cells still below the range their table allows
    /// (default 200,000 program variables: about 10 s of CPU on the largest synthetic indicator of a national year, more than a minute at 1,000,000 on the tour's): a count, not a clock, so the same data give the
    /// same plan. A plan that runs out logs a warning (event 51) with the cells left at the first pass's range.
    /// </summary>
    public long MaxRepairVariables { get; set; } = 200_000;

    /// <summary>
    /// How long a query waits for the plan of data that changed before it is served the previous published table
    /// (default 500 ms). Published figures are then at most one planning behind the data. Before the year's first plan
    /// of an indicator (after a start, or for a year not read before), a query is answered after this wait with the
    /// figures below the nation withheld as pending; exports, charts and reports wait for the plan.
    /// </summary>
    public int PublicationWaitMilliseconds { get; set; } = 500;

    /// <summary>
    /// Seconds a suppression plan that failed stays failed before a query tries it again (default 60; new data always
    /// tries again). Meanwhile the figures below the nation of its table are withheld, or the last complete table served.
    /// </summary>
    public int PlanRetrySeconds { get; set; } = 60;

    /// <summary>
    /// Whether suppressed figures say if they are small counts (primary, A) or hidden to protect one (secondary, D).
    /// Default false: every suppressed figure is "secret" (C), and the plans protect against a reader who knows of a
    /// hidden count only that it is not negative. True publishes the distinction, which lets a reader pin some
    /// counts exactly by their flags (each A at least 1), and makes plans hide far more.
    /// </summary>
    public bool PublishPrimaryFlag { get; set; }

    /// <summary>Newest years with data whose every indicator is planned in the background at start-up (default 2; 0: none).</summary>
    public int WarmYears { get; set; } = 2;

    /// <summary>Years whose published tables (snapshots and plans) are kept in memory (default 12).</summary>
    public int PublishedYears { get; set; } = 12;

    /// <summary>Live consolidated hierarchies (one per period) kept in memory for raw reads (default 256).</summary>
    public int HierarchyCacheSize { get; set; } = 256;

    /// <summary>
    /// Cubes of figures as of an instant (reads with <c>as_of</c>, editions) kept in memory with their published tables,
    /// least recently used dropped (default 3; each is about the size of the live cube).
    /// </summary>
    public int AsOfCubes { get; set; } = 3;

    /// <summary>
    /// Cubes as of an instant one key (or web account) may have loaded in a minute, instants already in memory free
    /// (default 12; more are refused RESOURCE_EXHAUSTED, saying when to retry; 0: no bound). Each load reads the
    /// revisions from the database and drops the least recently used cube: without this bound, one reader asking
    /// instant after instant kept the server loading and everyone's figures at those instants withheld as pending.
    /// </summary>
    public int AsOfLoadsPerKeyPerMinute { get; set; } = 12;

    /// <summary>What is wrong with the settings, or null: checked at start-up, never at a query.</summary>
    public string? Problem()
    {
        try
        {
            new Core.Disclosure.SecrecyOptions { Threshold = SuppressionThreshold, ProtectionRange = ProtectionRange, MaxLinearPrograms = MaxLinearPrograms, MaxRepairVariables = MaxRepairVariables }.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            return e.Message;
        }

        return PublicationWaitMilliseconds < 0 || PlanRetrySeconds < 0 || WarmYears < 0 || PublishedYears < 1 || HierarchyCacheSize < 1 || AsOfCubes < 1 || DeadlineDays < 0 || AsOfLoadsPerKeyPerMinute < 0
            ? "PublicationWaitMilliseconds, PlanRetrySeconds, WarmYears, DeadlineDays, AsOfLoadsPerKeyPerMinute ≥ 0; PublishedYears, HierarchyCacheSize, AsOfCubes ≥ 1."
            : null;
    }
}
