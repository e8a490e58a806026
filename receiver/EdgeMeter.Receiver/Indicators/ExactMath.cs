using EdgeMeter.Core.Values;

namespace EdgeMeter.Receiver.Indicators;

/// <summary>FixedDecimal arithmetic that throws on overflow, and the two operations the core does not need.</summary>
public static class ExactMath
{
    public static FixedDecimal Add(FixedDecimal a, FixedDecimal b) =>
        FixedDecimal.TryAdd(a, b, out var sum) ? sum : throw Overflow(a, "+", b);

    public static FixedDecimal Subtract(FixedDecimal a, FixedDecimal b) =>
        FixedDecimal.TrySubtract(a, b, out var difference) ? difference : throw Overflow(a, "-", b);

    public static FixedDecimal Multiply(FixedDecimal a, FixedDecimal b) =>
        FixedDecimal.TryMultiply(a, b, out var product) ? product : throw Overflow(a, "x", b);

    /// <summary>a + (b - a) x numerator / denominator, rounded half away from zero at the larger scale of a and b.</summary>
    public static FixedDecimal Interpolate(FixedDecimal a, FixedDecimal b, long numerator, long denominator)
    {
        var scale = Math.Max(a.Scale, b.Scale);
        var x = Rescale(a, scale).Mantissa;
        var y = Rescale(b, scale).Mantissa;
        var step = DivideRounded(((Int128)y - x) * numerator, denominator);
        return new FixedDecimal(checked((long)(x + step)), scale);
    }

    /// <summary>The mean of <paramref name="values"/> at one decimal more than the finest of them (at most 6), rounded half away from zero.</summary>
    public static FixedDecimal Mean(IReadOnlyList<FixedDecimal> values)
    {
        var scale = Math.Min(Math.Max(values.Max(v => v.Scale) + 1, 1), 6);
        Int128 sum = 0;
        foreach (var value in values)
        {
            sum += Rescale(value, scale).Mantissa;
        }

        return new FixedDecimal(checked((long)DivideRounded(sum, values.Count)), scale);
    }

    public static FixedDecimal Rescale(FixedDecimal value, int scale) =>
        FixedDecimal.TryRescale(value, scale, out var result) ? result : throw new OverflowException($"{value} does not fit at scale {scale}");

    private static Int128 DivideRounded(Int128 value, Int128 divisor)
    {
        var quotient = Int128.DivRem(value, divisor);
        var remainder = Int128.Abs(quotient.Remainder) * 2;
        return remainder >= Int128.Abs(divisor) ? quotient.Quotient + (value < 0 ^ divisor < 0 ? -1 : 1) : quotient.Quotient;
    }

    private static OverflowException Overflow(FixedDecimal a, string operation, FixedDecimal b) => new($"{a} {operation} {b} does not fit a 64-bit decimal");
}
