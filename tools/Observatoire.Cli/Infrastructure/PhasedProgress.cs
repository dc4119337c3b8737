namespace Observatoire.Cli.Infrastructure;

/// <summary>
/// Follows progress messages (step out of total) whose total changes from one phase to the next, e.g. the annual
/// report: preparation (one step per region), then page writing (one step per page). A message with another total
/// than the current one starts a new phase: the bar restarts at its step. Within a phase the value never goes back,
/// since the server may deliver two messages of the same phase out of order.
/// </summary>
public sealed class PhasedProgress
{
    /// <summary>Phases seen so far (0 before the first message).</summary>
    public int Phase { get; private set; }

    /// <summary>Steps done in the current phase.</summary>
    public int Value { get; private set; }

    /// <summary>Steps of the current phase; 0 when unknown (the bar is then indeterminate).</summary>
    public int Total { get; private set; }

    /// <summary>Takes a message into account; returns true when it started a new phase.</summary>
    public bool Update(int step, int total)
    {
        total = Math.Max(total, 0);
        var newPhase = Phase == 0 || total != Total;
        if (newPhase)
        {
            Phase++;
            Total = total;
            Value = 0;
        }

        var clamped = Math.Max(step, 0);
        if (Total > 0)
        {
            clamped = Math.Min(clamped, Total);
        }

        Value = Math.Max(Value, clamped);
        return newPhase;
    }
}
