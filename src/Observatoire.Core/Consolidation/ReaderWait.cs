using System.Diagnostics;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// How one request waits for suppression plans. A plan's wait runs from when that plan was first asked
/// (<see cref="PublicationSnapshot.WaitLeft"/>), so a request that reads many indicators whose plans nobody asked for
/// yet (a department's year as of a new instant: 69 of them) would wait once per indicator, one after the other:
/// seconds. Begun once per request, the budget makes the request's waits add up to at most the publication wait, after
/// which it is told that the figures are still being protected. Every wait for a plan goes through
/// <see cref="Settle"/>, which ends when the request is aborted, and holds one place among the caller's waiting
/// requests (<see cref="Guard"/>) while it blocks: a wait blocks a thread, so a caller cannot hold more of them than
/// its bound by asking many figures whose plans are being made.
/// </summary>
public static class ReaderWait
{
    private static readonly AsyncLocal<Budget?> Current = new();

    /// <summary>Begins the budget of the request running in this execution context (a middleware, before the request's code).</summary>
    public static void Begin() => Current.Value = new Budget();

    /// <summary>
    /// Once the caller is known (after authentication): <paramref name="enter"/> gives the request a place among the
    /// caller's requests waiting for plans, disposed when it waits no more, or throws to refuse the request; waits end
    /// with <paramref name="aborted"/>.
    /// </summary>
    public static void Guard(Func<IDisposable> enter, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(enter);
        if (Current.Value is { } budget)
        {
            budget.Enter = enter;
            budget.Aborted = aborted;
        }
    }

    /// <summary>
    /// Waits at most <paramref name="wait"/> (<see cref="Timeout.InfiniteTimeSpan"/>: until they end) for tasks, however
    /// they end (a failed plan is dealt with by its reader); true when they all did in time. A wait that blocks holds
    /// the request's place (<see cref="Guard"/>: refused beyond the caller's bound) and ends with the request
    /// (<see cref="OperationCanceledException"/>).
    /// </summary>
    internal static bool Settle(TimeSpan wait, params Task[] tasks)
    {
        if (tasks.All(t => t.IsCompleted))
        {
            return true;
        }

        if (wait <= TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
        {
            return false;
        }

        var budget = Current.Value;
        using var place = budget?.Hold();
        try
        {
            var milliseconds = wait == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Min(int.MaxValue, Math.Ceiling(wait.TotalMilliseconds));
            return Task.WaitAll(tasks, milliseconds, budget?.Aborted ?? CancellationToken.None);
        }
        catch (AggregateException)
        {
            return tasks.All(t => t.IsCompleted);
        }
    }

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
        private readonly Lock _lock = new();
        private int _waits;
        private IDisposable? _place;

        public long StartedAt;

        public Func<IDisposable>? Enter { get; set; }

        public CancellationToken Aborted { get; set; }

        /// <summary>The request's place while at least one of its waits blocks (a report's parallel waits share it).</summary>
        public IDisposable Hold()
        {
            lock (_lock)
            {
                if (_waits == 0 && Enter is { } enter)
                {
                    _place = enter();
                }

                _waits++;
            }

            return new Waiting(this);
        }

        private void Leave()
        {
            lock (_lock)
            {
                if (--_waits == 0)
                {
                    _place?.Dispose();
                    _place = null;
                }
            }
        }

        private sealed class Waiting(Budget budget) : IDisposable
        {
            private int _left;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _left, 1) == 0)
                {
                    budget.Leave();
                }
            }
        }
    }
}
