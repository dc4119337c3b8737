namespace Observatoire.Core.Statistics;

/// <summary>Change of a count between two periods (year over year, period over period).</summary>
/// <param name="Absolute">Current minus previous.</param>
/// <param name="Percent">Change in percent of the previous value (25.0 means +25 %); null when the previous value is 0.</param>
public readonly record struct Change(long Absolute, double? Percent)
{
    /// <summary>The change from <paramref name="previous"/> to <paramref name="current"/>; null when either is missing.</summary>
    public static Change? Between(long? current, long? previous)
    {
        if (current is not long now || previous is not long before)
        {
            return null;
        }

        // Checked: a wrapped difference would be a wrong figure published without any error.
        var absolute = checked(now - before);

        // Divided by |previous| so that the sign always tells the direction of the change,
        // even for a quantity that can be negative (counts never are, so this changes nothing for them).
        double? percent = before == 0 ? null : absolute * 100.0 / Math.Abs((double)before);
        return new Change(absolute, percent);
    }
}
