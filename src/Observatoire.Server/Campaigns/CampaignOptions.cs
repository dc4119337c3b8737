namespace Observatoire.Server.Campaigns;

/// <summary>Campaign settings, bound to the "Campaigns" configuration section.</summary>
public sealed class CampaignOptions
{
    public const string SectionName = "Campaigns";

    /// <summary>Days after a period's deadline (Consolidation:DeadlineDays) after which it closes for posts (default 60; 0: never by itself).</summary>
    public int CloseAfterDays { get; set; } = 60;

    /// <summary>Whom a refused post should ask to reopen a period (shown in the FAILED_PRECONDITION message).</summary>
    public string Contact { get; set; } = "l'administration nationale de l'observatoire";
}
