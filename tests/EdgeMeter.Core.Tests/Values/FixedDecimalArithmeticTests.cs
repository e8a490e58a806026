using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Values;

/// <summary>The exact arithmetic against System.Decimal (exact for these magnitudes), on random operands.</summary>
public class FixedDecimalArithmeticTests
{
    private const int Runs = 20_000;

    [Fact]
    public void Add_and_subtract_are_exact_at_the_larger_scale()
    {
        var random = new Random(1);
        for (var i = 0; i < Runs; i++)
        {
            var (a, b) = (RandomValue(random), RandomValue(random));

            Assert.True(FixedDecimal.TryAdd(a, b, out var sum));
            Assert.True(FixedDecimal.TrySubtract(a, b, out var difference));

            Assert.Equal(Math.Max(a.Scale, b.Scale), sum.Scale);
            Assert.Equal(ToDecimal(a) + ToDecimal(b), ToDecimal(sum));
            Assert.Equal(ToDecimal(a) - ToDecimal(b), ToDecimal(difference));
        }
    }

    [Fact]
    public void Multiply_is_exact_at_the_sum_of_the_scales()
    {
        var random = new Random(2);
        for (var i = 0; i < Runs; i++)
        {
            var a = new FixedDecimal(random.NextInt64(-99_999_999, 99_999_999), random.Next(0, 5));
            var b = new FixedDecimal(random.NextInt64(-99_999, 99_999), random.Next(0, 5));

            Assert.True(FixedDecimal.TryMultiply(a, b, out var product));

            Assert.Equal(a.Scale + b.Scale, product.Scale);
            Assert.Equal(ToDecimal(a) * ToDecimal(b), ToDecimal(product));
        }
    }

    [Fact]
    public void Rescaling_down_rounds_half_away_from_zero_and_up_is_exact()
    {
        var random = new Random(3);
        for (var i = 0; i < Runs; i++)
        {
            var value = new FixedDecimal(random.NextInt64(-1_000_000_000, 1_000_000_000), random.Next(0, 7));
            var scale = random.Next(0, 9);

            Assert.True(FixedDecimal.TryRescale(value, scale, out var rescaled));

            Assert.Equal(scale, rescaled.Scale);
            Assert.Equal(Math.Round(ToDecimal(value), scale, MidpointRounding.AwayFromZero), ToDecimal(rescaled));
        }
    }

    [Fact]
    public void Compare_orders_by_value_whatever_the_scales()
    {
        var random = new Random(4);
        for (var i = 0; i < Runs; i++)
        {
            var (a, b) = (RandomValue(random), RandomValue(random));

            Assert.Equal(ToDecimal(a).CompareTo(ToDecimal(b)), FixedDecimal.Compare(a, b));
        }

        Assert.True(new FixedDecimal(150, 2).ValueEquals(new FixedDecimal(15, 1)));
        Assert.False(new FixedDecimal(150, 2).Equals(new FixedDecimal(15, 1)));
    }

    [Theory]
    [InlineData(long.MaxValue, 0, 1, 0)]
    [InlineData(long.MinValue + 1, 0, -2, 0)]
    [InlineData(long.MaxValue / 5, 0, 1, 1)]
    public void Overflow_is_reported_never_wrapped(long a, int scaleA, long b, int scaleB)
    {
        Assert.False(FixedDecimal.TryAdd(new FixedDecimal(a, scaleA), new FixedDecimal(b, scaleB), out _));
    }

    [Fact]
    public void Multiply_and_rescale_report_overflow()
    {
        Assert.False(FixedDecimal.TryMultiply(new FixedDecimal(long.MaxValue / 2, 0), new FixedDecimal(3, 0), out _));
        Assert.False(FixedDecimal.TryRescale(new FixedDecimal(long.MaxValue / 5, 0), 1, out _));
        Assert.False(FixedDecimal.TryRescale(new FixedDecimal(1, 0), FixedDecimal.MaxScale + 1, out _));
    }

    [Fact]
    public void Compare_decides_values_too_far_apart_to_align()
    {
        var huge = new FixedDecimal(long.MaxValue, 0);
        var tiny = new FixedDecimal(5, FixedDecimal.MaxScale);

        Assert.Equal(1, FixedDecimal.Compare(huge, tiny));
        Assert.Equal(-1, FixedDecimal.Compare(tiny, huge));
        Assert.Equal(-1, FixedDecimal.Compare(huge.Negate(), tiny));
    }

    private static FixedDecimal RandomValue(Random random) =>
        new(random.NextInt64(-1_000_000_000_000, 1_000_000_000_000), random.Next(0, 7));

    private static decimal ToDecimal(FixedDecimal value) => (decimal)value.Mantissa / Pow10(value.Scale);

    private static decimal Pow10(int exponent)
    {
        var power = 1m;
        for (var i = 0; i < exponent; i++)
        {
            power *= 10;
        }

        return power;
    }
}
