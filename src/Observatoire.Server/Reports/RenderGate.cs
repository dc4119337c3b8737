namespace Observatoire.Server.Reports;

/// <summary>
/// Bounds how many charts and documents are drawn at once. One drawing may hold a large bitmap (a 4000 × 4000
/// chart is 64 MB) or a whole report in memory; without a bound, many callers at once would exhaust the process.
/// Callers beyond the bound wait their turn, and stop waiting when their call is cancelled.
/// </summary>
internal sealed class RenderGate(int slots)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, slots), Math.Max(1, slots));

    /// <summary>One slot per processor: drawing is CPU-bound, so more at once would not finish sooner.</summary>
    public RenderGate()
        : this(Environment.ProcessorCount)
    {
    }

    /// <summary>Slots free now (for tests and metrics).</summary>
    public int Free => _slots.CurrentCount;

    /// <summary>Runs <paramref name="draw"/> once a slot is free.</summary>
    public async Task<T> RunAsync<T>(Func<T> draw, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draw);
        await _slots.WaitAsync(ct);
        try
        {
            return await Task.Run(draw, ct);
        }
        finally
        {
            _slots.Release();
        }
    }
}
