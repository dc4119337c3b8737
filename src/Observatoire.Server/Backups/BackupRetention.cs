namespace Observatoire.Server.Backups;

/// <summary>Which dated snapshots a schedule keeps: the newest <c>daily</c> days, and the first snapshot of each of the newest <c>monthly</c> months.</summary>
public static class BackupRetention
{
    public static IReadOnlySet<DateOnly> Keep(IEnumerable<DateOnly> days, int daily, int monthly)
    {
        ArgumentNullException.ThrowIfNull(days);
        var ordered = days.Distinct().OrderDescending().ToList();
        var keep = new HashSet<DateOnly>(ordered.Take(Math.Max(0, daily)));
        foreach (var first in ordered.GroupBy(d => (d.Year, d.Month)).Select(g => g.Min()).OrderDescending().Take(Math.Max(0, monthly)))
        {
            keep.Add(first);
        }

        return keep;
    }
}
