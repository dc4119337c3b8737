namespace Observatoire.Server;

/// <summary>Server settings, bound to the "Observatoire" configuration section.</summary>
public sealed class ObservatoireOptions
{
    public const string SectionName = "Observatoire";

    /// <summary>Largest accepted gRPC message in bytes (default 4 MiB); larger ones get RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Seconds a single-message request may take to arrive whole (default 30); a body still incomplete then is refused
    /// DEADLINE_EXCEEDED. A client that sends most of a message and stops would otherwise hold it in memory for ever.
    /// </summary>
    public int RequestBodySeconds { get; set; } = 30;

    /// <summary>
    /// Bytes of single-message requests held at once while they arrive, all callers together (default 256 MiB); a
    /// request that would go beyond is refused RESOURCE_EXHAUSTED at once.
    /// </summary>
    public long MaxBufferedRequestBytes { get; set; } = 256L * 1024 * 1024;

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
