using Observatoire.Core.Statistics;

namespace Observatoire.Core.Tests.Statistics;

public class RobustScoreTests
{
    [Fact]
    public void Score_of_an_odd_reference_uses_its_middle_value_and_median_deviation()
    {
        // Sorted: 2 4 4 5 7 9 30 -> median 5; deviations 0 1 1 2 3 4 25 -> MAD 2.
        double[] reference = [9, 4, 30, 2, 5, 7, 4];

        var score = RobustScore.Score(30, reference)!;

        Assert.Equal(5, score.Median);
        Assert.Equal(2, score.Mad);
        Assert.Equal(0.6745 * 25 / 2, score.Z, 12);
        Assert.Equal(8.43125, score.Z, 12);
        Assert.Equal(7, score.ReferenceCount);
    }

    [Fact]
    public void Score_of_an_even_reference_averages_the_two_middle_values()
    {
        // Sorted: 1 2 3 4 6 100 -> median 3.5; deviations 0.5 0.5 1.5 2.5 2.5 96.5 -> MAD 2.
        double[] reference = [1, 2, 3, 4, 100, 6];

        var high = RobustScore.Score(100, reference)!;
        var low = RobustScore.Score(1, reference)!;

        Assert.Equal(3.5, high.Median);
        Assert.Equal(2, high.Mad);
        Assert.Equal(32.544625, high.Z, 12);
        Assert.Equal(0.6745 * -2.5 / 2, low.Z, 12);
    }

    [Theory]
    [InlineData(new double[] { 12, 15, 14, 13, 90, 16, 11, 14 }, 20.0)]
    [InlineData(new double[] { 100, 98, 102, 101, 99, 3 }, 50.0)]
    [InlineData(new double[] { 0.5, 0.25, 3.75, 1.5, 2.0, 1.25, 0.75, 1.0, 8.5 }, 0.0)]
    public void Score_agrees_with_a_median_and_mad_computed_by_sorting(double[] reference, double value)
    {
        var median = SortedMedian(reference);
        var mad = SortedMedian(reference.Select(v => Math.Abs(v - median)).ToArray());

        var score = RobustScore.Score(value, reference)!;

        Assert.Equal(median, score.Median, 12);
        Assert.Equal(mad, score.Mad, 12);
        Assert.Equal(0.6745 * (value - median) / mad, score.Z, 12);
    }

    [Fact]
    public void Score_falls_back_on_the_mean_absolute_deviation_when_the_mad_is_zero()
    {
        // Median 5, deviations 0 0 0 0 3: MAD 0, mean absolute deviation 3/5.
        double[] reference = [5, 5, 8, 5, 5];

        var above = RobustScore.Score(8, reference)!;
        var below = RobustScore.Score(4, reference)!;
        var equal = RobustScore.Score(5, reference)!;

        Assert.Equal(0, above.Mad);
        Assert.Equal(3 / (1.253314 * 0.6), above.Z, 12);
        Assert.Equal(3.989423, above.Z, 6);
        Assert.Equal(-1 / (1.253314 * 0.6), below.Z, 12);
        Assert.Equal(0, equal.Z);
    }

    [Fact]
    public void Score_against_identical_values_is_zero_for_the_same_value_and_infinite_otherwise()
    {
        double[] reference = [5, 5, 5];

        Assert.Equal(0, RobustScore.Score(5, reference)!.Z);
        Assert.Equal(double.PositiveInfinity, RobustScore.Score(6, reference)!.Z);
        Assert.Equal(double.NegativeInfinity, RobustScore.Score(4.5, reference)!.Z);
    }

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new double[] { 1 })]
    [InlineData(new double[] { 1, 100 })]
    public void Score_needs_at_least_three_reference_values(double[] reference) =>
        Assert.Null(RobustScore.Score(1, reference));

    [Fact]
    public void Score_leaves_the_callers_reference_in_its_order()
    {
        double[] reference = [9, 4, 30, 2, 5];

        RobustScore.Score(1, reference);

        Assert.Equal([9, 4, 30, 2, 5], reference);
    }

    [Fact]
    public void Score_refuses_non_finite_values()
    {
        Assert.Throws<ArgumentException>(() => RobustScore.Score(double.NaN, [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => RobustScore.Score(1, [1, double.PositiveInfinity, 3]));
    }

    [Fact]
    public void Outliers_of_a_department_flag_only_the_post_far_from_the_others()
    {
        // Sorted: 11 12 13 14 14 15 16 90 -> median 14; deviations 0 0 1 1 2 2 3 76 -> MAD 1.5.
        double[] posts = [12, 15, 14, 13, 90, 16, 11, 14];

        var outliers = RobustScore.Outliers(posts, RobustScore.DefaultThreshold);

        var (index, score) = Assert.Single(outliers);
        Assert.Equal(4, index);
        Assert.Equal(14, score.Median);
        Assert.Equal(1.5, score.Mad);
        Assert.Equal(0.6745 * 76 / 1.5, score.Z, 12);
        Assert.Equal(8, score.ReferenceCount);
    }

    [Fact]
    public void Outliers_are_all_values_whose_score_exceeds_the_threshold_in_absolute_value()
    {
        double[] posts = [12, 15, 14, 13, 90, 16, 11, 14];
        var median = SortedMedian(posts);
        var mad = SortedMedian(posts.Select(v => Math.Abs(v - median)).ToArray());
        var expected = new List<int>();
        for (var i = 0; i < posts.Length; i++)
        {
            if (Math.Abs(0.6745 * (posts[i] - median) / mad) > 1.0)
            {
                expected.Add(i);
            }
        }

        var outliers = RobustScore.Outliers(posts, threshold: 1.0);

        Assert.Equal([4, 6], expected);
        Assert.Equal(expected, outliers.Select(o => o.Index));
    }

    [Fact]
    public void Outliers_include_values_far_below_the_others()
    {
        double[] posts = [100, 98, 102, 101, 99, 3];

        var (index, score) = Assert.Single(RobustScore.Outliers(posts));

        Assert.Equal(5, index);
        Assert.True(score.Z < -RobustScore.DefaultThreshold);
    }

    [Fact]
    public void Outliers_of_a_mostly_uniform_list_use_the_mean_deviation_fallback()
    {
        // Median 7, MAD 0, mean absolute deviation 2/5: z(9) = 2 / (1.253314 * 0.4) ≈ 3.99 > 3.5.
        double[] posts = [7, 7, 9, 7, 7];

        var (index, score) = Assert.Single(RobustScore.Outliers(posts));

        Assert.Equal(2, index);
        Assert.Equal(2 / (1.253314 * 0.4), score.Z, 12);
    }

    [Fact]
    public void Outliers_of_a_uniform_list_are_none()
    {
        Assert.Empty(RobustScore.Outliers([4, 4, 4, 4]));
        Assert.Empty(RobustScore.Outliers([4, 5, 6, 7]));
    }

    [Fact]
    public void Outliers_of_too_short_a_list_are_none() =>
        Assert.Empty(RobustScore.Outliers([1, 1000], threshold: 0));

    [Fact]
    public void Outliers_refuse_a_negative_threshold() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RobustScore.Outliers([1, 2, 3], -1));

    private static double SortedMedian(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
