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

    /// <summary>Suppression plans (one per year and indicator) kept in memory (default 64).</summary>
    public int PlanCacheSize { get; set; } = 64;

    /// <summary>Consolidated hierarchies (one per period) kept in memory (default 256: a plan reads 22 of them).</summary>
    public int HierarchyCacheSize { get; set; } = 256;
}
