namespace EdgeMeter.Core.Values;

/// <summary>
/// An exact decimal number: <c>Mantissa x 10^-Scale</c>. Meter values travel from the meter to the platform in
/// this form so that no binary floating point ever rounds a reading (nanoFramework has no System.Decimal).
/// </summary>
public readonly struct FixedDecimal
{
    /// <summary>The largest scale supported: 18 decimals still fit a long mantissa of 1.</summary>
    public const int MaxScale = 18;

    public FixedDecimal(long mantissa, int scale)
    {
        if (scale < 0 || scale > MaxScale)
        {
            throw new System.ArgumentOutOfRangeException(nameof(scale));
        }

        Mantissa = mantissa;
        Scale = scale;
    }

    public long Mantissa { get; }

    public int Scale { get; }

    /// <summary>Writes the value in invariant decimal notation ("-12.340" keeps its scale) and returns the length.</summary>
    public int WriteTo(char[] destination, int offset)
    {
        var digits = new char[20];
        var position = offset;
        var magnitude = Mantissa;
        if (magnitude < 0)
        {
            destination[position++] = '-';
        }

        var count = 0;
        do
        {
            var digit = (int)(magnitude % 10);
            digits[count++] = (char)('0' + (digit < 0 ? -digit : digit));
            magnitude /= 10;
        }
        while (magnitude != 0);

        while (count <= Scale)
        {
            digits[count++] = '0';
        }

        for (var i = count - 1; i >= 0; i--)
        {
            destination[position++] = digits[i];
            if (i == Scale && i != 0)
            {
                destination[position++] = '.';
            }
        }

        return position - offset;
    }

    public override string ToString()
    {
        var buffer = new char[22];
        var length = WriteTo(buffer, 0);
        return new string(buffer, 0, length);
    }

    /// <summary>Parses "-123.45" style text (no exponent, no thousands separators). Returns false on anything else.</summary>
    public static bool TryParse(string text, out FixedDecimal value)
    {
        value = default;
        if (text == null || text.Length == 0)
        {
            return false;
        }

        var index = 0;
        var negative = false;
        if (text[0] == '-')
        {
            negative = true;
            index = 1;
        }

        long mantissa = 0;
        var scale = -1;
        var digitCount = 0;
        for (; index < text.Length; index++)
        {
            var c = text[index];
            if (c == '.')
            {
                if (scale >= 0 || digitCount == 0)
                {
                    return false;
                }

                scale = 0;
                continue;
            }

            if (c < '0' || c > '9' || digitCount >= 18)
            {
                return false;
            }

            mantissa = (mantissa * 10) + (c - '0');
            digitCount++;
            if (scale >= 0)
            {
                scale++;
            }
        }

        if (digitCount == 0 || scale == 0)
        {
            return false;
        }

        value = new FixedDecimal(negative ? -mantissa : mantissa, scale < 0 ? 0 : scale);
        return true;
    }

    public bool IsZero => Mantissa == 0;

    /// <summary>-1, 0 or 1.</summary>
    public int Sign => Mantissa < 0 ? -1 : (Mantissa > 0 ? 1 : 0);

    /// <summary>The same value with the opposite sign (a mantissa of long.MinValue cannot occur from parsing).</summary>
    public FixedDecimal Negate() => new FixedDecimal(-Mantissa, Scale);

    /// <summary>
    /// The value at another scale: exact when the scale grows (false if the mantissa would overflow), rounded half
    /// away from zero when it shrinks.
    /// </summary>
    public static bool TryRescale(FixedDecimal value, int scale, out FixedDecimal result)
    {
        result = default;
        if (scale < 0 || scale > MaxScale)
        {
            return false;
        }

        var mantissa = value.Mantissa;
        for (var s = value.Scale; s < scale; s++)
        {
            if (mantissa > long.MaxValue / 10 || mantissa < long.MinValue / 10)
            {
                return false;
            }

            mantissa *= 10;
        }

        if (scale < value.Scale)
        {
            mantissa = DivideRounded(mantissa, PowerOfTen(value.Scale - scale));
        }

        result = new FixedDecimal(mantissa, scale);
        return true;
    }

    /// <summary>a + b, exact, at the larger of the two scales; false on overflow.</summary>
    public static bool TryAdd(FixedDecimal a, FixedDecimal b, out FixedDecimal result)
    {
        result = default;
        var scale = a.Scale > b.Scale ? a.Scale : b.Scale;
        if (!TryRescale(a, scale, out var x) || !TryRescale(b, scale, out var y))
        {
            return false;
        }

        var sum = x.Mantissa + y.Mantissa;
        if (((x.Mantissa ^ sum) & (y.Mantissa ^ sum)) < 0)
        {
            return false;
        }

        result = new FixedDecimal(sum, scale);
        return true;
    }

    /// <summary>a - b, exact, at the larger of the two scales; false on overflow.</summary>
    public static bool TrySubtract(FixedDecimal a, FixedDecimal b, out FixedDecimal result) => TryAdd(a, b.Negate(), out result);

    /// <summary>a x b, exact at the sum of the scales (rounded half away from zero beyond <see cref="MaxScale"/>); false on overflow.</summary>
    public static bool TryMultiply(FixedDecimal a, FixedDecimal b, out FixedDecimal result)
    {
        result = default;
        var product = a.Mantissa * b.Mantissa;
        if (a.Mantissa != 0 && (product / a.Mantissa != b.Mantissa || (a.Mantissa == -1 && b.Mantissa == long.MinValue)))
        {
            return false;
        }

        var scale = a.Scale + b.Scale;
        if (scale > MaxScale)
        {
            product = DivideRounded(product, PowerOfTen(scale - MaxScale));
            scale = MaxScale;
        }

        result = new FixedDecimal(product, scale);
        return true;
    }

    /// <summary>Orders by value, whatever the scales (1.50 equals 1.5).</summary>
    public static int Compare(FixedDecimal a, FixedDecimal b)
    {
        if (TrySubtract(a, b, out var difference))
        {
            return difference.Sign;
        }

        // Only values far apart overflow: their signs, or their integer parts, decide.
        if (a.Sign != b.Sign)
        {
            return a.Sign < b.Sign ? -1 : 1;
        }

        var x = a.Mantissa / PowerOfTen(a.Scale);
        var y = b.Mantissa / PowerOfTen(b.Scale);
        return x < y ? -1 : (x > y ? 1 : 0);
    }

    /// <summary>Equal values, whatever the scales.</summary>
    public bool ValueEquals(FixedDecimal other) => Compare(this, other) == 0;

    public bool Equals(FixedDecimal other) => Mantissa == other.Mantissa && Scale == other.Scale;

    public override bool Equals(object? obj) => obj is FixedDecimal other && Equals(other);

    public override int GetHashCode() => (int)Mantissa ^ (int)(Mantissa >> 32) ^ (Scale << 24);

    /// <summary>10^exponent for 0..18.</summary>
    private static long PowerOfTen(int exponent)
    {
        long power = 1;
        for (var i = 0; i < exponent; i++)
        {
            power *= 10;
        }

        return power;
    }

    /// <summary>value / divisor rounded half away from zero (divisor positive).</summary>
    private static long DivideRounded(long value, long divisor)
    {
        var quotient = value / divisor;
        var remainder = value % divisor;
        var twice = remainder < 0 ? -remainder : remainder;
        if (twice >= divisor - twice)
        {
            quotient += value < 0 ? -1 : 1;
        }

        return quotient;
    }
}
