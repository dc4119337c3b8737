namespace Observatoire.Server.Backups;

/// <summary>The backup schedule (section "Backups"); off while <see cref="Folder"/> is empty.</summary>
public sealed class BackupOptions
{
    public const string SectionName = "Backups";

    /// <summary>Folder of the scheduled snapshots, relative to the content root; empty: no scheduled backup.</summary>
    public string? Folder { get; set; }

    /// <summary>Daily snapshots kept (the newest ones). Default 7.</summary>
    public int Daily { get; set; } = 7;

    /// <summary>Monthly snapshots kept: the first snapshot of each of the newest months. Default 12.</summary>
    public int Monthly { get; set; } = 12;

    /// <summary>How often the schedule looks whether today's snapshot exists. Default one hour.</summary>
    public int CheckEveryMinutes { get; set; } = 60;
}
