namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Just enough unsigned 128-bit arithmetic for exact float/decimal conversion without floating point
/// (nanoFramework has no UInt128, BigInteger or System.Math).
/// </summary>
internal readonly struct Unsigned128
{
    public Unsigned128(ulong high, ulong low)
    {
        High = high;
        Low = low;
    }

    public ulong High { get; }

    public ulong Low { get; }

    public bool IsZero => High == 0 && Low == 0;

    public int BitLength => High != 0 ? 64 + BitLengthOf(High) : BitLengthOf(Low);

    public static Unsigned128 Multiply(ulong a, ulong b)
    {
        ulong aLow = a & 0xFFFFFFFF, aHigh = a >> 32, bLow = b & 0xFFFFFFFF, bHigh = b >> 32;
        var lowLow = aLow * bLow;
        var lowHigh = aLow * bHigh;
        var highLow = aHigh * bLow;
        var middle = (lowLow >> 32) + (lowHigh & 0xFFFFFFFF) + (highLow & 0xFFFFFFFF);
        var low = (middle << 32) | (lowLow & 0xFFFFFFFF);
        var high = (aHigh * bHigh) + (lowHigh >> 32) + (highLow >> 32) + (middle >> 32);
        return new Unsigned128(high, low);
    }

    /// <summary>Shifts left; bits moved past bit 127 are lost.</summary>
    public Unsigned128 ShiftLeft(int count)
    {
        if (count == 0)
        {
            return this;
        }

        if (count >= 128)
        {
            return default;
        }

        return count >= 64
            ? new Unsigned128(Low << (count - 64), 0)
            : new Unsigned128((High << count) | (Low >> (64 - count)), Low << count);
    }

    public Unsigned128 ShiftRight(int count)
    {
        if (count == 0)
        {
            return this;
        }

        if (count >= 128)
        {
            return default;
        }

        return count >= 64
            ? new Unsigned128(0, High >> (count - 64))
            : new Unsigned128(High >> count, (Low >> count) | (High << (64 - count)));
    }

    public Unsigned128 Increment() => Low == ulong.MaxValue ? new Unsigned128(High + 1, 0) : new Unsigned128(High, Low + 1);

    public static int Compare(Unsigned128 a, Unsigned128 b)
    {
        if (a.High != b.High)
        {
            return a.High < b.High ? -1 : 1;
        }

        return a.Low == b.Low ? 0 : (a.Low < b.Low ? -1 : 1);
    }

    /// <summary>a - b for a &gt;= b.</summary>
    public static Unsigned128 Subtract(Unsigned128 a, Unsigned128 b)
    {
        var borrow = a.Low < b.Low ? 1UL : 0UL;
        return new Unsigned128(a.High - b.High - borrow, a.Low - b.Low);
    }

    /// <summary>Quotient and remainder of a / b (b not zero), by shift-and-subtract.</summary>
    public static Unsigned128 DivRem(Unsigned128 a, Unsigned128 b, out Unsigned128 remainder)
    {
        remainder = a;
        if (Compare(a, b) < 0)
        {
            return default;
        }

        var shift = a.BitLength - b.BitLength;
        var divisor = b.ShiftLeft(shift);
        var quotient = default(Unsigned128);
        for (var i = shift; i >= 0; i--)
        {
            quotient = quotient.ShiftLeft(1);
            if (Compare(remainder, divisor) >= 0)
            {
                remainder = Subtract(remainder, divisor);
                quotient = new Unsigned128(quotient.High, quotient.Low | 1);
            }

            divisor = divisor.ShiftRight(1);
        }

        return quotient;
    }

    public static int BitLengthOf(ulong value)
    {
        var length = 0;
        while (value != 0)
        {
            value >>= 1;
            length++;
        }

        return length;
    }
}
