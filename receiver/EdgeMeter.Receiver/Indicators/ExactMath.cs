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

    /// <summary>
    /// The mean of <paramref name="values"/> at one decimal more than the finest of them (at most 6, and fewer where
    /// the platforms' 18 digits need it), rounded half away from zero once.
    /// </summary>
    public static FixedDecimal Mean(IReadOnlyList<FixedDecimal> values)
    {
        var finest = values.Max(v => v.Scale);
        Int128 sum = 0;
        foreach (var value in values)
        {
            sum += Rescale(value, finest).Mantissa;
        }

        for (var scale = Math.Min(finest + 1, 6); ; scale--)
        {
            // sum / count at `scale` decimals: sum x 10^scale / (count x 10^finest), one rounding.
            var mean = DivideRounded(sum * Pow10(scale), values.Count * Pow10(finest));
            if (Int128.Abs(mean) < MaxDigits || scale == 0)
            {
                return new FixedDecimal(checked((long)mean), scale);
            }
        }
    }

    public static FixedDecimal Rescale(FixedDecimal value, int scale) =>
        FixedDecimal.TryRescale(value, scale, out var result) ? result : throw new OverflowException($"{value} does not fit at scale {scale}");

    private static Int128 DivideRounded(Int128 value, Int128 divisor)
    {
        var quotient = Int128.DivRem(value, divisor);
        var remainder = Int128.Abs(quotient.Remainder) * 2;
        return remainder >= Int128.Abs(divisor) ? quotient.Quotient + (value < 0 ^ divisor < 0 ? -1 : 1) : quotient.Quotient;
    }

    /// <summary>10^18: the platforms take at most 18 digits.</summary>
    private static readonly Int128 MaxDigits = Pow10(18);

    private static Int128 Pow10(int exponent)
    {
        Int128 power = 1;
        for (var i = 0; i < exponent; i++)
        {
            power *= 10;
        }

        return power;
    }

    private static OverflowException Overflow(FixedDecimal a, string operation, FixedDecimal b) => new($"{a} {operation} {b} does not fit a 64-bit decimal");
}
