namespace Observatoire.Simulation;

/// <summary>Settings of a simulated year.</summary>
public sealed record SimulationOptions
{
    /// <summary>The simulated year.</summary>
    public required int Year { get; init; }

    /// <summary>The current instant: only periods ended before today are simulated, and nothing is received after now.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The seed: the same seed gives the same grids.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Share of expected grids never received (0 to 1).</summary>
    public double Missing { get; init; } = 0.03;

    /// <summary>Share of expected grids received after the deadline (0 to 1).</summary>
    public double Late { get; init; } = 0.10;

    /// <summary>Number of grids where one indicator is multiplied by 8.</summary>
    public int Outliers { get; init; } = 5;

    /// <summary>Days after a period's end within which a grid is on time (the server's deadline).</summary>
    public int DeadlineDays { get; init; } = 15;

    /// <summary>Latest delay of a late grid, in days after the period's end.</summary>
    public int LatestDelayDays { get; init; } = 60;
}
