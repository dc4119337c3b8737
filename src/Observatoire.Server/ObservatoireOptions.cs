namespace Observatoire.Server;

/// <summary>Server settings, bound to the "Observatoire" configuration section.</summary>
public sealed class ObservatoireOptions
{
    public const string SectionName = "Observatoire";

    /// <summary>Largest accepted gRPC message in bytes (default 4 MiB); larger ones get RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most cells one grid may carry before it is refused outright (default 1,000; schema 2025.1 has 76).</summary>
    public int MaxCellsPerGrid { get; set; } = 1_000;

    /// <summary>
    /// Whether a submission may state when it was really received (import of grids e-mailed before the
    /// observatory existed, or a simulation). Default true; even then only an admin key may state it.
    /// </summary>
    public bool AllowHistoricalImport { get; set; } = true;

    /// <summary>Most violations listed in one error answer (default 200).</summary>
    public int MaxReportedViolations { get; set; } = 200;
}
