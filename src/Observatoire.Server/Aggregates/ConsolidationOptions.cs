namespace Observatoire.Server.Aggregates;

/// <summary>Consolidation settings, bound to the "Consolidation" configuration section.</summary>
public sealed class ConsolidationOptions
{
    public const string SectionName = "Consolidation";

    /// <summary>Days after a period's end during which a grid is on time (default 15).</summary>
    public int DeadlineDays { get; set; } = 15;

    /// <summary>Primary suppression threshold k: published counts from 1 to k−1 are suppressed (default 5).</summary>
    public int SuppressionThreshold { get; set; } = 5;
}
