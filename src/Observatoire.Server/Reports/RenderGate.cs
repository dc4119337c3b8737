using Observatoire.Server.Telemetry;

namespace Observatoire.Server.Reports;

/// <summary>
/// Bounds how many charts and documents are drawn (or uploaded workbooks read) at once. One may hold a large bitmap (a
/// 4000 × 4000 chart is 64 MB), a whole report or a workbook's cells in memory; without a bound, many callers at once
/// would exhaust the process.
/// Callers beyond the bound wait their turn, and stop waiting when their call is cancelled.
/// </summary>
internal sealed class RenderGate(int slots, ObservatoireMetrics? metrics = null)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, slots), Math.Max(1, slots));

    /// <summary>One slot per processor: drawing is CPU-bound, so more at once would not finish sooner.</summary>
    public RenderGate(ObservatoireMetrics metrics)
        : this(Environment.ProcessorCount, metrics)
    {
    }

    /// <summary>Slots free now (for tests and metrics).</summary>
    public int Free => _slots.CurrentCount;

    /// <summary>Runs <paramref name="draw"/> once a slot is free; its drawing time (not its wait) is measured under <paramref name="kind"/>.</summary>
    public async Task<T> RunAsync<T>(Func<T> draw, CancellationToken ct, string kind = "chart")
    {
        ArgumentNullException.ThrowIfNull(draw);
        await _slots.WaitAsync(ct);
        try
        {
            return metrics is null
                ? await Task.Run(draw, ct)
                : await Task.Run(() => ObservatoireMetrics.Time(draw, d => metrics.Rendered(kind, d)), ct);
        }
        finally
        {
            _slots.Release();
        }
    }
}
