namespace Observatoire.Data.Entities;

/// <summary>Whether an administrator closed or reopened a period.</summary>
public enum CampaignAction
{
    /// <summary>Closed for submission (before the automatic closing).</summary>
    Close = 1,

    /// <summary>Reopened.</summary>
    Reopen = 2,
}

/// <summary>An administrator's decision on a period's campaign, for every post, a department or one post.</summary>
public class CampaignDecision
{
    /// <summary>Sequence number: the latest applicable decision wins.</summary>
    public long Id { get; set; }

    /// <summary>Canonical period ("2025-03", "2025-T1", "2025").</summary>
    public required string Period { get; set; }

    /// <summary>Close or reopen.</summary>
    public required CampaignAction Action { get; set; }

    /// <summary>The department it applies to; null with a null post: every post.</summary>
    public string? DepartmentCode { get; set; }

    /// <summary>The post it applies to; null: not one post.</summary>
    public string? PostId { get; set; }

    /// <summary>Why, as stated by the administrator.</summary>
    public required string Reason { get; set; }

    /// <summary>The administrator's key id.</summary>
    public required string KeyId { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime AtUtc { get; set; }
}
