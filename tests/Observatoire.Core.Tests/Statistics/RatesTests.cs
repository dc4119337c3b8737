using Observatoire.Core.Statistics;

namespace Observatoire.Core.Tests.Statistics;

public class RatesTests
{
    [Theory]
    [InlineData(25L, 500_000L, 5.0)]
    [InlineData(1L, 100_000L, 1.0)]
    [InlineData(0L, 321_000L, 0.0)]
    [InlineData(3L, 1_234_567L, 3.0 / 12.34567)]
    public void Rate_per_100k_is_the_count_over_the_population_in_hundred_thousands(long value, long population, double expected) =>
        Assert.Equal(expected, Rates.Per100k(value, population)!.Value, 12);

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Rate_per_100k_is_unknown_without_a_positive_population(long population) =>
        Assert.Null(Rates.Per100k(10, population));

    [Theory]
    [InlineData(30L, 1.5, 20.0)]
    [InlineData(7L, 0.8, 8.75)]
    [InlineData(12L, 1.0, 12.0)]
    public void Rate_per_fte_is_the_count_over_the_full_time_equivalents(long value, double fte, double expected) =>
        Assert.Equal(expected, Rates.PerFte(value, fte)!.Value, 12);

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Rate_per_fte_is_unknown_without_a_positive_finite_fte(double fte) =>
        Assert.Null(Rates.PerFte(10, fte));

    [Theory]
    [InlineData(2.0, 300_000L, 1.0)]
    [InlineData(1.0, 450_000L, 1.0 / 3.0)]
    [InlineData(3.0, 150_000L, 3.0)]
    [InlineData(0.5, 1_000_000L, 0.075)]
    public void Posts_per_150k_compares_posts_with_the_aniscg_target(double posts, long population, double expected) =>
        Assert.Equal(expected, Rates.PostsPer150k(posts, population), 12);

    [Theory]
    [InlineData(0L)]
    [InlineData(-150_000L)]
    public void Posts_per_150k_refuses_a_population_that_is_not_positive(long population) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Rates.PostsPer150k(1, population));

    [Theory]
    [InlineData(300_000L, 2.0)]
    [InlineData(75_000L, 0.5)]
    [InlineData(1_650_000L, 11.0)]
    [InlineData(0L, 0.0)]
    public void Target_posts_is_one_per_150k_inhabitants(long population, double expected) =>
        Assert.Equal(expected, Rates.TargetPosts(population), 12);

    [Fact]
    public void Target_posts_refuses_a_negative_population() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Rates.TargetPosts(-1));

    [Theory]
    [InlineData(12_345L)]
    [InlineData(987_654L)]
    [InlineData(2_600_000L)]
    public void Staffing_a_territory_at_its_target_gives_a_coverage_of_exactly_one(long population) =>
        Assert.Equal(1.0, Rates.PostsPer150k(Rates.TargetPosts(population), population), 12);
}
