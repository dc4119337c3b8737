using System.Diagnostics;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// How long one request has waited for suppression plans, across every indicator it reads. A plan's wait runs from
/// when that plan was first asked (<see cref="PublicationSnapshot.WaitLeft"/>), so a request that reads many
/// indicators whose plans nobody asked for yet (a department's year as of a new instant: 69 of them) would wait once
/// per indicator, one after the other: seconds. Begun once per request, the budget makes the request's waits add up
/// to at most the publication wait, after which it is told that the figures are still being protected.
/// </summary>
public static class ReaderWait
{
    private static readonly AsyncLocal<Budget?> Current = new();

    /// <summary>Begins the budget of the request running in this execution context (a middleware, before the request's code).</summary>
    public static void Begin() => Current.Value = new Budget();

    /// <summary>What is left of <paramref name="wait"/> for the current request, its clock started by its first wait; the whole wait outside any request.</summary>
    private static TimeSpan Left(TimeSpan wait)
    {
        if (Current.Value is not { } budget || wait == Timeout.InfiniteTimeSpan)
        {
            return wait;
        }

        var started = Interlocked.CompareExchange(ref budget.StartedAt, Stopwatch.GetTimestamp(), 0);
        if (started == 0)
        {
            return wait;
        }

        var left = wait - Stopwatch.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>The smaller of the two waits.</summary>
    internal static TimeSpan Within(TimeSpan own, TimeSpan wait)
    {
        var budget = Left(wait);
        return own < budget ? own : budget;
    }

    private sealed class Budget
    {
        public long StartedAt;
    }
}
