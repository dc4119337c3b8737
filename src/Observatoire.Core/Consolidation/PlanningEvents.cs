using Observatoire.Core.Schemas;

namespace Observatoire.Core.Consolidation;

/// <summary>A suppression plan that could not be made: the table it was for, and why.</summary>
/// <param name="Year">The year of the table.</param>
/// <param name="Indicator">The indicator's code.</param>
/// <param name="Version">The version of the data the plan was made on.</param>
/// <param name="Error">What went wrong (an exception of the planner, the solver, a cancellation).</param>
public sealed record PlanFailure(int Year, string Indicator, long Version, Exception Error);

/// <summary>What the host is told of the plans made in the background (logs and metrics), and the settings of retries.</summary>
public sealed record PlanningEvents
{
    /// <summary>Told how long each plan took.</summary>
    public Action<TimeSpan>? Planned { get; init; }

    /// <summary>
    /// Told of each plan whose second pass ran out of its budget (<see cref="Disclosure.SecrecyOptions.MaxRepairVariables"/>):
    /// the year, the indicator and the primary cells left with the first pass's range.
    /// </summary>
    public Action<int, string, int>? RepairOverBudget { get; init; }

    /// <summary>Told of each plan that failed, once per attempt.</summary>
    public Action<PlanFailure>? Failed { get; init; }

    /// <summary>Called as each plan starts, on its thread: what it throws fails the plan (a host's test setting uses it).</summary>
    public Action<int, Indicator>? Starting { get; init; }

    /// <summary>
    /// How long a failed plan is kept as failed before a reader's query plans it again (default one minute): a
    /// planner that fails on some data is not run again at every query. New data always gets a new attempt.
    /// </summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromMinutes(1);
}
