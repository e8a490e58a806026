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

    public bool Equals(FixedDecimal other) => Mantissa == other.Mantissa && Scale == other.Scale;

    public override bool Equals(object? obj) => obj is FixedDecimal other && Equals(other);

    public override int GetHashCode() => (int)Mantissa ^ (int)(Mantissa >> 32) ^ (Scale << 24);
}
