using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>
/// Registers to <see cref="FixedDecimal"/> and back, for a <see cref="ModbusPoint"/>. Integer types convert exactly:
/// the point's power of ten becomes the decimal scale. Float types convert the exact binary value the meter sent
/// (decoded from its IEEE 754 bits with integer arithmetic only) to <see cref="ModbusPoint.Decimals"/> decimals,
/// rounding half away from zero; NaN and infinities are refused. Encoding (for simulators) rounds integers half
/// away from zero to the point's resolution and floats to the nearest representable value (ties to even).
/// No floating point, no System.Math, no allocation.
/// </summary>
public static class ModbusValueCodec
{
    private const ulong Int64Magnitude = 0x8000000000000000UL;

    /// <summary>10^0 .. 10^19, every power that fits an unsigned long.</summary>
    private static readonly ulong[] PowersOfTen = BuildPowersOfTen();

    /// <summary>Decodes the point from <c>registers[offset..offset+RegisterCount)</c>.</summary>
    public static ModbusValueStatus Decode(ModbusPoint point, ushort[] registers, int offset, out FixedDecimal value)
    {
        value = default;
        var bits = ReadWords(registers, offset, point.RegisterCount, point.WordOrder);
        switch (point.Type)
        {
            case ModbusDataType.Int16:
                return Scale((short)bits, point.Power10, out value);
            case ModbusDataType.UInt16:
            case ModbusDataType.UInt32:
                return Scale((long)bits, point.Power10, out value);
            case ModbusDataType.Int32:
                return Scale((int)(uint)bits, point.Power10, out value);
            case ModbusDataType.Int64:
                return Scale((long)bits, point.Power10, out value);
            case ModbusDataType.UInt64:
                return bits >= Int64Magnitude ? ModbusValueStatus.OutOfRange : Scale((long)bits, point.Power10, out value);
            case ModbusDataType.Float32:
                return DecodeFloat(bits, 23, 8, point, out value);
            default:
                return DecodeFloat(bits, 52, 11, point, out value);
        }
    }

    /// <summary>Encodes <paramref name="value"/> into <c>registers[offset..offset+RegisterCount)</c>; on any
    /// status but Ok the registers are left untouched.</summary>
    public static ModbusValueStatus Encode(ModbusPoint point, FixedDecimal value, ushort[] registers, int offset)
    {
        var negative = value.Mantissa < 0;
        var magnitude = negative ? 0UL - (ulong)value.Mantissa : (ulong)value.Mantissa;
        ulong bits;
        ModbusValueStatus status;
        switch (point.Type)
        {
            case ModbusDataType.Float32:
                status = EncodeFloat(negative, magnitude, -value.Scale - point.Power10, 23, 8, out bits);
                break;
            case ModbusDataType.Float64:
                status = EncodeFloat(negative, magnitude, -value.Scale - point.Power10, 52, 11, out bits);
                break;
            default:
                status = EncodeInteger(point.Type, negative, magnitude, -value.Scale - point.Power10, out bits);
                break;
        }

        if (status == ModbusValueStatus.Ok)
        {
            WriteWords(bits, registers, offset, point.RegisterCount, point.WordOrder);
        }

        return status;
    }

    private static ModbusValueStatus Scale(long raw, int power10, out FixedDecimal value)
    {
        value = default;
        if (power10 <= 0)
        {
            value = new FixedDecimal(raw, -power10);
            return ModbusValueStatus.Ok;
        }

        var limit = long.MaxValue / (long)PowersOfTen[power10];
        if (raw > limit || raw < -limit)
        {
            return ModbusValueStatus.OutOfRange;
        }

        value = new FixedDecimal(raw * (long)PowersOfTen[power10], 0);
        return ModbusValueStatus.Ok;
    }

    /// <summary>
    /// value x 10^decimals = significand x 2^exponent x 10^(decimals + power10), computed as one exact fraction of
    /// 128-bit integers and rounded half away from zero.
    /// </summary>
    private static ModbusValueStatus DecodeFloat(ulong bits, int fractionBits, int exponentBits, ModbusPoint point, out FixedDecimal value)
    {
        value = default;
        var exponentMask = (1 << exponentBits) - 1;
        var bias = (exponentMask >> 1) + fractionBits;
        var negative = (bits >> (fractionBits + exponentBits)) != 0;
        var biasedExponent = (int)(bits >> fractionBits) & exponentMask;
        var significand = bits & ((1UL << fractionBits) - 1);
        if (biasedExponent == exponentMask)
        {
            return significand != 0 ? ModbusValueStatus.NotANumber : ModbusValueStatus.Infinite;
        }

        int exponent;
        if (biasedExponent == 0)
        {
            exponent = 1 - bias; // subnormal
        }
        else
        {
            significand |= 1UL << fractionBits;
            exponent = biasedExponent - bias;
        }

        if (significand == 0)
        {
            value = new FixedDecimal(0, point.Decimals);
            return ModbusValueStatus.Ok;
        }

        var decimalShift = point.Decimals + point.Power10; // -18..18, checked by ModbusPoint
        var numerator = Unsigned128.Multiply(significand, decimalShift > 0 ? PowersOfTen[decimalShift] : 1);
        var denominator = new Unsigned128(0, decimalShift < 0 ? PowersOfTen[-decimalShift] : 1);
        if (exponent > 0)
        {
            // The denominator is below 2^60, so a numerator reaching 2^127 gives a quotient above 2^67.
            if (numerator.BitLength + exponent > 127)
            {
                return ModbusValueStatus.OutOfRange;
            }

            numerator = numerator.ShiftLeft(exponent);
        }
        else if (exponent < 0)
        {
            // The numerator is below 2^113; a denominator reaching 2^127 makes the quotient round to zero.
            if (denominator.BitLength - exponent > 127)
            {
                value = new FixedDecimal(0, point.Decimals);
                return ModbusValueStatus.Ok;
            }

            denominator = denominator.ShiftLeft(-exponent);
        }

        var quotient = Unsigned128.DivRem(numerator, denominator, out var remainder);
        if (Unsigned128.Compare(remainder, Unsigned128.Subtract(denominator, remainder)) >= 0)
        {
            quotient = quotient.Increment();
        }

        if (quotient.High != 0 || quotient.Low > (negative ? Int64Magnitude : Int64Magnitude - 1))
        {
            return ModbusValueStatus.OutOfRange;
        }

        value = new FixedDecimal(negative ? (long)(0UL - quotient.Low) : (long)quotient.Low, point.Decimals);
        return ModbusValueStatus.Ok;
    }

    /// <summary>raw = magnitude x 10^decimalShift, rounded half away from zero, checked against the type.</summary>
    private static ModbusValueStatus EncodeInteger(ModbusDataType type, bool negative, ulong magnitude, int decimalShift, out ulong bits)
    {
        bits = 0;
        if (decimalShift >= 0)
        {
            if (magnitude > ulong.MaxValue / PowersOfTen[decimalShift])
            {
                return ModbusValueStatus.OutOfRange;
            }

            magnitude *= PowersOfTen[decimalShift];
        }
        else
        {
            magnitude = RoundedDivide(magnitude, -decimalShift);
        }

        ulong positiveLimit, negativeLimit;
        switch (type)
        {
            case ModbusDataType.Int16:
                positiveLimit = 0x7FFF;
                negativeLimit = 0x8000;
                break;
            case ModbusDataType.UInt16:
                positiveLimit = 0xFFFF;
                negativeLimit = 0;
                break;
            case ModbusDataType.Int32:
                positiveLimit = 0x7FFFFFFF;
                negativeLimit = 0x80000000;
                break;
            case ModbusDataType.UInt32:
                positiveLimit = 0xFFFFFFFF;
                negativeLimit = 0;
                break;
            case ModbusDataType.Int64:
                positiveLimit = Int64Magnitude - 1;
                negativeLimit = Int64Magnitude;
                break;
            default:
                positiveLimit = ulong.MaxValue;
                negativeLimit = 0;
                break;
        }

        if (magnitude > (negative ? negativeLimit : positiveLimit))
        {
            return ModbusValueStatus.OutOfRange;
        }

        bits = negative ? 0UL - magnitude : magnitude;
        return ModbusValueStatus.Ok;
    }

    private static ulong RoundedDivide(ulong magnitude, int power)
    {
        if (power >= PowersOfTen.Length)
        {
            return 0; // magnitude < 2^64 < 10^20 / 2
        }

        var divisor = PowersOfTen[power];
        var quotient = magnitude / divisor;
        var remainder = magnitude - (quotient * divisor);
        return remainder >= divisor - remainder ? quotient + 1 : quotient;
    }

    /// <summary>
    /// IEEE 754 bits of magnitude x 10^decimalShift (decimalShift -36..18): the exact fraction is divided out to
    /// one bit beyond the significand, the rest kept as a sticky flag, then rounded to nearest, ties to even.
    /// </summary>
    private static ModbusValueStatus EncodeFloat(bool negative, ulong magnitude, int decimalShift, int fractionBits, int exponentBits, out ulong bits)
    {
        bits = 0;
        if (magnitude == 0)
        {
            return ModbusValueStatus.Ok;
        }

        var numerator = Unsigned128.Multiply(magnitude, decimalShift > 0 ? PowersOfTen[decimalShift] : 1);
        var divisorPower = decimalShift < 0 ? -decimalShift : 0;
        var firstPower = divisorPower > 18 ? 18 : divisorPower;
        var denominator = Unsigned128.Multiply(PowersOfTen[firstPower], PowersOfTen[divisorPower - firstPower]);

        var quotient = Unsigned128.DivRem(numerator, denominator, out var remainder);
        var wanted = fractionBits + 2; // implicit bit + fraction + one rounding bit
        var exponent = 0;              // value ~ significand x 2^exponent
        ulong significand;
        bool sticky;
        var length = quotient.BitLength;
        if (length > wanted)
        {
            var shift = length - wanted;
            var kept = quotient.ShiftRight(shift);
            sticky = !remainder.IsZero || Unsigned128.Compare(kept.ShiftLeft(shift), quotient) != 0;
            significand = kept.Low;
            exponent = shift;
        }
        else
        {
            // Long division continues bit by bit; the remainder stays below the denominator (< 2^120).
            significand = quotient.Low;
            while ((significand >> (wanted - 1)) == 0)
            {
                remainder = remainder.ShiftLeft(1);
                significand <<= 1;
                if (Unsigned128.Compare(remainder, denominator) >= 0)
                {
                    remainder = Unsigned128.Subtract(remainder, denominator);
                    significand |= 1;
                }

                exponent--;
            }

            sticky = !remainder.IsZero;
        }

        var roundBit = significand & 1;
        significand >>= 1;
        exponent++;
        if (roundBit != 0 && (sticky || (significand & 1) != 0))
        {
            significand++;
            if ((significand >> (fractionBits + 1)) != 0)
            {
                significand >>= 1;
                exponent++;
            }
        }

        var exponentMask = (1 << exponentBits) - 1;
        var biasedExponent = exponent + fractionBits + (exponentMask >> 1);
        if (biasedExponent <= 0 || biasedExponent >= exponentMask)
        {
            return ModbusValueStatus.OutOfRange;
        }

        bits = ((ulong)biasedExponent << fractionBits) | (significand & ((1UL << fractionBits) - 1));
        if (negative)
        {
            bits |= 1UL << (fractionBits + exponentBits);
        }

        return ModbusValueStatus.Ok;
    }

    private static ulong ReadWords(ushort[] registers, int offset, int count, ModbusWordOrder order)
    {
        ulong bits = 0;
        for (var i = 0; i < count; i++)
        {
            var index = order == ModbusWordOrder.BigEndian ? i : count - 1 - i;
            bits = (bits << 16) | registers[offset + index];
        }

        return bits;
    }

    private static void WriteWords(ulong bits, ushort[] registers, int offset, int count, ModbusWordOrder order)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            var index = order == ModbusWordOrder.BigEndian ? i : count - 1 - i;
            registers[offset + index] = (ushort)bits;
            bits >>= 16;
        }
    }

    private static ulong[] BuildPowersOfTen()
    {
        var powers = new ulong[20];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
