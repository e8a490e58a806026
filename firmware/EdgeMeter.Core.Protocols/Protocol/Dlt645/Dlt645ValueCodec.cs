using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>
/// BCD values as meters send them (lowest byte first, fixed decimals, sign in bit7 of the last byte for signed
/// quantities) to and from <see cref="FixedDecimal"/>, plus the date/time formats. Bytes here are the meaning,
/// without the 0x33 wire offset. Decoders return false on anything that is not valid BCD; nothing allocates.
/// </summary>
public static class Dlt645ValueCodec
{
    /// <summary>The widest BCD number handled: 18 digits still fit a long.</summary>
    public const int MaxLength = 9;

    private static readonly long[] PowersOfTen = BuildPowersOfTen();

    /// <summary>Decodes <paramref name="length"/> BCD bytes with <paramref name="decimals"/> decimals.</summary>
    public static bool TryDecode(
        byte[] source,
        int offset,
        int length,
        int decimals,
        bool signed,
        out FixedDecimal value)
    {
        value = default;
        if (length < 1 || length > MaxLength || decimals < 0 || decimals > FixedDecimal.MaxScale)
        {
            return false;
        }

        long magnitude = 0;
        var negative = false;
        for (var i = length - 1; i >= 0; i--)
        {
            int b = source[offset + i];
            if (signed && i == length - 1)
            {
                negative = (b & 0x80) != 0;
                b &= 0x7F;
            }

            var high = b >> 4;
            var low = b & 0x0F;
            if (high > 9 || low > 9)
            {
                return false;
            }

            magnitude = (magnitude * 100) + (high * 10) + low;
        }

        value = new FixedDecimal(negative ? -magnitude : magnitude, decimals);
        return true;
    }

    /// <summary>
    /// Encodes <paramref name="value"/> as <paramref name="length"/> BCD bytes with <paramref name="decimals"/>
    /// decimals. Returns false (writing nothing) when the value does not fit, would lose digits, or is negative
    /// for an unsigned format.
    /// </summary>
    public static bool TryEncode(
        FixedDecimal value,
        int length,
        int decimals,
        bool signed,
        byte[] destination,
        int offset)
    {
        if (length < 1 || length > MaxLength || decimals < 0 || decimals > FixedDecimal.MaxScale)
        {
            return false;
        }

        if (!TryRescale(value, decimals, out var mantissa) || mantissa == long.MinValue)
        {
            return false;
        }

        var negative = mantissa < 0;
        if (negative && !signed)
        {
            return false;
        }

        var magnitude = negative ? -mantissa : mantissa;
        var digits = length * 2;
        var limit = signed ? 8 * PowersOfTen[digits - 1] : PowersOfTen[digits];
        if (magnitude >= limit)
        {
            return false;
        }

        for (var i = 0; i < length; i++)
        {
            var low = (int)(magnitude % 10);
            var high = (int)(magnitude / 10 % 10);
            destination[offset + i] = (byte)((high << 4) | low);
            magnitude /= 100;
        }

        if (negative)
        {
            destination[offset + length - 1] |= 0x80;
        }

        return true;
    }

    /// <summary>
    /// Decodes the value of a catalogue item: a numeric item needs exactly its length; a block yields its first
    /// element (the total) and needs a whole number of elements.
    /// </summary>
    public static bool TryDecode(Dlt645DataItem item, byte[] source, int offset, int length, out FixedDecimal value)
    {
        return TryDecodeElement(item, source, offset, length, 0, out value);
    }

    /// <summary>Decodes element <paramref name="index"/> of a block item (index 0 of a numeric item).</summary>
    public static bool TryDecodeElement(
        Dlt645DataItem item,
        byte[] source,
        int offset,
        int length,
        int index,
        out FixedDecimal value)
    {
        value = default;
        var element = item.ElementLength;
        var valid = item.Kind == Dlt645DataKind.Numeric
            ? length == item.Length && index == 0
            : item.Kind == Dlt645DataKind.Block && length % element == 0 && index >= 0 && (index + 1) * element <= length;
        return valid && TryDecode(source, offset + (index * element), element, item.Decimals, item.Signed, out value);
    }

    /// <summary>Encodes one value (one block element) in the item's format.</summary>
    public static bool TryEncode(Dlt645DataItem item, FixedDecimal value, byte[] destination, int offset)
    {
        if (item.Kind != Dlt645DataKind.Numeric && item.Kind != Dlt645DataKind.Block)
        {
            return false;
        }

        return TryEncode(value, item.ElementLength, item.Decimals, item.Signed, destination, offset);
    }

    /// <summary>One BCD byte (00..99) to its value; false for nibbles above 9.</summary>
    public static bool TryDecodeBcdByte(byte bcd, out int value)
    {
        var high = bcd >> 4;
        var low = bcd & 0x0F;
        value = (high * 10) + low;
        return high <= 9 && low <= 9;
    }

    /// <summary>0..99 to one BCD byte.</summary>
    public static byte EncodeBcdByte(int value)
    {
        if (value < 0 || value > 99)
        {
            throw new System.ArgumentOutOfRangeException(nameof(value));
        }

        return (byte)(((value / 10) << 4) | (value % 10));
    }

    /// <summary>Date and weekday as 4 bytes <c>WW DD MM YY</c> (YYMMDDWW, Sunday = 0); years 2000..2099.</summary>
    public static void EncodeDate(System.DateTime date, byte[] destination, int offset)
    {
        destination[offset] = EncodeBcdByte((int)date.DayOfWeek);
        destination[offset + 1] = EncodeBcdByte(date.Day);
        destination[offset + 2] = EncodeBcdByte(date.Month);
        destination[offset + 3] = EncodeBcdByte(YearOfCentury(date.Year));
    }

    /// <summary>Time of day as 3 bytes <c>ss mm hh</c> (hhmmss).</summary>
    public static void EncodeTime(System.DateTime time, byte[] destination, int offset)
    {
        destination[offset] = EncodeBcdByte(time.Second);
        destination[offset + 1] = EncodeBcdByte(time.Minute);
        destination[offset + 2] = EncodeBcdByte(time.Hour);
    }

    /// <summary>
    /// Combines a date (<c>WW DD MM YY</c>) and a time (<c>ss mm hh</c>) into a DateTime; the weekday is not
    /// checked. False on bad BCD or an impossible date or time.
    /// </summary>
    public static bool TryDecodeDateTime(
        byte[] date,
        int dateOffset,
        byte[] time,
        int timeOffset,
        out System.DateTime value)
    {
        value = default;
        return TryDecodeBcdByte(date[dateOffset + 3], out var year)
            && TryDecodeBcdByte(date[dateOffset + 2], out var month)
            && TryDecodeBcdByte(date[dateOffset + 1], out var day)
            && TryDecodeBcdByte(time[timeOffset + 2], out var hour)
            && TryDecodeBcdByte(time[timeOffset + 1], out var minute)
            && TryDecodeBcdByte(time[timeOffset], out var second)
            && TryCompose(2000 + year, month, day, hour, minute, second, out value);
    }

    /// <summary>The six bytes of a broadcast time frame: <c>ss mm hh DD MM YY</c> or reversed.</summary>
    public static void EncodeBroadcastTime(System.DateTime localTime, Dlt645TimeOrder order, byte[] destination, int offset)
    {
        var ss = EncodeBcdByte(localTime.Second);
        var mm = EncodeBcdByte(localTime.Minute);
        var hh = EncodeBcdByte(localTime.Hour);
        var day = EncodeBcdByte(localTime.Day);
        var month = EncodeBcdByte(localTime.Month);
        var year = EncodeBcdByte(YearOfCentury(localTime.Year));
        var reversed = order == Dlt645TimeOrder.YearFirst;
        destination[offset + (reversed ? 5 : 0)] = ss;
        destination[offset + (reversed ? 4 : 1)] = mm;
        destination[offset + (reversed ? 3 : 2)] = hh;
        destination[offset + (reversed ? 2 : 3)] = day;
        destination[offset + (reversed ? 1 : 4)] = month;
        destination[offset + (reversed ? 0 : 5)] = year;
    }

    /// <summary>Reads the six bytes of a broadcast time frame in the given order (for a meter simulator).</summary>
    public static bool TryDecodeBroadcastTime(byte[] source, int offset, Dlt645TimeOrder order, out System.DateTime value)
    {
        value = default;
        var reversed = order == Dlt645TimeOrder.YearFirst;
        return TryDecodeBcdByte(source[offset + (reversed ? 5 : 0)], out var second)
            && TryDecodeBcdByte(source[offset + (reversed ? 4 : 1)], out var minute)
            && TryDecodeBcdByte(source[offset + (reversed ? 3 : 2)], out var hour)
            && TryDecodeBcdByte(source[offset + (reversed ? 2 : 3)], out var day)
            && TryDecodeBcdByte(source[offset + (reversed ? 1 : 4)], out var month)
            && TryDecodeBcdByte(source[offset + (reversed ? 0 : 5)], out var year)
            && TryCompose(2000 + year, month, day, hour, minute, second, out value);
    }

    private static bool TryRescale(FixedDecimal value, int decimals, out long mantissa)
    {
        mantissa = value.Mantissa;
        var difference = decimals - value.Scale;
        if (difference > 0)
        {
            var factor = PowersOfTen[difference];
            if (mantissa > long.MaxValue / factor || mantissa < long.MinValue / factor)
            {
                return false;
            }

            mantissa *= factor;
        }
        else if (difference < 0)
        {
            var divisor = PowersOfTen[-difference];
            if (mantissa % divisor != 0)
            {
                return false;
            }

            mantissa /= divisor;
        }

        return true;
    }

    private static int YearOfCentury(int year)
    {
        if (year < 2000 || year > 2099)
        {
            throw new System.ArgumentOutOfRangeException(nameof(year), "DL/T 645 years are 2000..2099.");
        }

        return year - 2000;
    }

    private static bool TryCompose(int year, int month, int day, int hour, int minute, int second, out System.DateTime value)
    {
        value = default;
        if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new System.DateTime(year, month, day, hour, minute, second);
        return true;
    }

    private static int DaysInMonth(int year, int month)
    {
        if (month == 2)
        {
            return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
        }

        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    private static long[] BuildPowersOfTen()
    {
        var powers = new long[19];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
