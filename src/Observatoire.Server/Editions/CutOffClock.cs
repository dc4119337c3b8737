namespace Observatoire.Server.Editions;

/// <summary>A clock stopped at a cut-off: what a document made from figures as of that instant is dated, so that it is reproducible.</summary>
internal sealed class CutOffClock(DateTimeOffset cutOff) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => cutOff;

    /// <summary>The clock documents made from these figures are dated by: stopped at their instant, or the server's.</summary>
    public static TimeProvider For(Aggregates.PublishedFigures figures, TimeProvider clock) =>
        figures.AsOf is null ? clock : new CutOffClock(figures.Now(clock));
}
