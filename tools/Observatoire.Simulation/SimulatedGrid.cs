using Google.Protobuf.WellKnownTypes;
using Observatoire.Protos.V1;

namespace Observatoire.Simulation;

/// <summary>What the simulation settles for an expected grid.</summary>
public enum GridFate
{
    /// <summary>Received within the deadline (period end + 1 to 14 days).</summary>
    OnTime,

    /// <summary>Received after the deadline (period end + 16 to 60 days).</summary>
    Late,

    /// <summary>Never received (the missing share).</summary>
    Missing,

    /// <summary>Late, and its simulated reception date is still to come: not received yet.</summary>
    Pending,
}

/// <summary>A month, a quarter or a year, as in the contract ("2025-03", "2025-T1", "2025").</summary>
public readonly record struct SimulationPeriod(ReportingFrequency Kind, int Year, int Index)
{
    /// <summary>First day.</summary>
    public DateOnly Start => Kind switch
    {
        ReportingFrequency.Month => new DateOnly(Year, Index, 1),
        ReportingFrequency.Quarter => new DateOnly(Year, (Index - 1) * 3 + 1, 1),
        _ => new DateOnly(Year, 1, 1),
    };

    /// <summary>Last day.</summary>
    public DateOnly End => Kind switch
    {
        ReportingFrequency.Month => Start.AddMonths(1).AddDays(-1),
        ReportingFrequency.Quarter => Start.AddMonths(3).AddDays(-1),
        _ => new DateOnly(Year, 12, 31),
    };

    /// <summary>Months 1-12 covered.</summary>
    public IEnumerable<int> Months => Enumerable.Range(Start.Month, End.Month - Start.Month + 1);

    /// <summary>The periods of a frequency in a year, in order.</summary>
    public static IEnumerable<SimulationPeriod> Of(ReportingFrequency kind, int year) => kind switch
    {
        ReportingFrequency.Month => Enumerable.Range(1, 12).Select(m => new SimulationPeriod(kind, year, m)),
        ReportingFrequency.Quarter => Enumerable.Range(1, 4).Select(q => new SimulationPeriod(kind, year, q)),
        ReportingFrequency.Year => [new SimulationPeriod(kind, year, 1)],
        _ => [],
    };

    /// <summary>"2025-03", "2025-T1" or "2025".</summary>
    public override string ToString() => Kind switch
    {
        ReportingFrequency.Month => $"{Year:D4}-{Index:D2}",
        ReportingFrequency.Quarter => $"{Year:D4}-T{Index}",
        _ => $"{Year:D4}",
    };
}

/// <summary>One expected grid of the simulation and what became of it.</summary>
/// <param name="Grid">The grid content (also for missing and pending grids, which are not sent).</param>
/// <param name="Period">The period.</param>
/// <param name="Fate">On time, late, missing or pending.</param>
/// <param name="ReceivedAt">When the grid is received (null when missing or pending).</param>
/// <param name="SubmissionId">Deterministic submission id: the same seed and content give the same id, so a rerun replays.</param>
/// <param name="OutlierIndicator">The indicator multiplied by 8 when the grid is one of the planted outliers.</param>
public sealed record SimulatedGrid(
    Grid Grid,
    SimulationPeriod Period,
    GridFate Fate,
    DateTimeOffset? ReceivedAt,
    string SubmissionId,
    string? OutlierIndicator)
{
    /// <summary>True for the yearly bilan of a post that reports by month or quarter.</summary>
    public bool IsYearlyBilan { get; init; }

    /// <summary>Whether the grid is sent (on time or late).</summary>
    public bool IsSent => Fate is GridFate.OnTime or GridFate.Late;

    /// <summary>The submission to send; only for a sent grid.</summary>
    public SubmitGridRequest ToRequest(string clientId) => new()
    {
        SubmissionId = SubmissionId,
        ClientId = clientId,
        Grid = Grid,
        ReceivedAt = ReceivedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
    };
}

/// <summary>What a simulation produced.</summary>
public sealed class SimulationResult(IReadOnlyList<SimulatedGrid> grids, int posts)
{
    /// <summary>Every expected grid, sent first in order of reception, then the others.</summary>
    public IReadOnlyList<SimulatedGrid> Grids { get; } = grids;

    /// <summary>Posts that had at least one expected grid.</summary>
    public int Posts { get; } = posts;

    /// <summary>The grids to send, in order of reception.</summary>
    public IEnumerable<SimulatedGrid> Sent => Grids.Where(g => g.IsSent);

    /// <summary>Number of grids of a fate.</summary>
    public int Count(GridFate fate) => Grids.Count(g => g.Fate == fate);

    /// <summary>Number of planted outliers.</summary>
    public int Outliers => Grids.Count(g => g.OutlierIndicator is not null);
}
