using Observatoire.Core.Statistics;

namespace Observatoire.Core.Tests.Statistics;

public class ChangeTests
{
    [Theory]
    [InlineData(120L, 100L, 20L, 20.0)]
    [InlineData(80L, 100L, -20L, -20.0)]
    [InlineData(100L, 100L, 0L, 0.0)]
    [InlineData(1L, 3L, -2L, -200.0 / 3.0)]
    [InlineData(450L, 50L, 400L, 800.0)]
    public void Change_is_the_difference_and_its_share_of_the_previous_value(long current, long previous, long absolute, double percent)
    {
        var change = Change.Between(current, previous);

        Assert.NotNull(change);
        Assert.Equal(absolute, change.Value.Absolute);
        Assert.NotNull(change.Value.Percent);
        Assert.Equal(percent, change.Value.Percent.Value, 12);
    }

    [Theory]
    [InlineData(5L)]
    [InlineData(0L)]
    public void Change_from_zero_has_an_absolute_value_but_no_percentage(long current)
    {
        var change = Change.Between(current, 0);

        Assert.Equal(new Change(current, null), change);
    }

    [Theory]
    [InlineData(null, 3L)]
    [InlineData(3L, null)]
    [InlineData(null, null)]
    public void Change_is_unknown_when_either_value_is_missing(long? current, long? previous) =>
        Assert.Null(Change.Between(current, previous));

    [Fact]
    public void Change_from_a_negative_value_keeps_the_direction_in_its_sign()
    {
        var change = Change.Between(-50, -100);

        Assert.Equal(50, change!.Value.Absolute);
        Assert.Equal(50.0, change.Value.Percent!.Value, 12);
    }

    [Fact]
    public void Change_too_large_for_a_long_fails_instead_of_wrapping() =>
        Assert.Throws<OverflowException>(() => Change.Between(long.MaxValue, -1));
}
