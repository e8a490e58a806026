using EdgeMeter.Core.Json;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Packet;

/// <summary>
/// The exact text forms packets use for times ("2025-03-01T08:00:00Z": UTC, whole seconds, always 20 characters,
/// years <see cref="MinYear"/> to <see cref="MaxYear"/>, which nanoFramework's DateTime can hold)
/// and decimal values ("-12.340": optional minus, no leading zeros, no exponent, scale kept, at most 19 digits and
/// 18 decimals, never "-0"). Parsing accepts exactly what <see cref="JsonWriter"/> writes and nothing else.
/// </summary>
public static class PacketText
{
    public const int TimeLength = 20;

    public const int MinYear = 1970;

    /// <summary>nanoFramework's DateTime ends at 3000-12-31.</summary>
    public const int MaxYear = 3000;

    /// <summary>Whether a time can travel in a packet (whole seconds are taken; the year must be in range).</summary>
    public static bool IsInRange(System.DateTime utc) => utc.Year >= MinYear && utc.Year <= MaxYear;

    public static bool TryParseTime(string text, out System.DateTime utc) =>
        TryParseTime(text.ToCharArray(), 0, text.Length, out utc);

    public static bool TryParseTime(char[] text, int start, int length, out System.DateTime utc)
    {
        utc = default;
        if (length != TimeLength
            || text[start + 4] != '-' || text[start + 7] != '-' || text[start + 10] != 'T'
            || text[start + 13] != ':' || text[start + 16] != ':' || text[start + 19] != 'Z')
        {
            return false;
        }

        var year = Digits(text, start, 4);
        var month = Digits(text, start + 5, 2);
        var day = Digits(text, start + 8, 2);
        var hour = Digits(text, start + 11, 2);
        var minute = Digits(text, start + 14, 2);
        var second = Digits(text, start + 17, 2);
        if (year < MinYear || year > MaxYear || month < 1 || month > 12 || day < 1 || day > System.DateTime.DaysInMonth(year, month)
            || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        {
            return false;
        }

        var local = new System.DateTime(year, month, day, hour, minute, second);
        utc = new System.DateTime(local.Ticks, System.DateTimeKind.Utc);
        return true;
    }

    /// <summary>The packet form of a UTC time (allocates; the signer writes through <see cref="JsonWriter.Time"/>).</summary>
    public static string FormatTime(System.DateTime utc)
    {
        var writer = new JsonWriter(TimeLength + 2);
        writer.Time(utc);
        var chars = new char[TimeLength];
        for (var i = 0; i < TimeLength; i++)
        {
            chars[i] = (char)writer.Buffer[i + 1];
        }

        return new string(chars);
    }

    public static bool TryParseDecimal(string text, out FixedDecimal value) =>
        TryParseDecimal(text.ToCharArray(), 0, text.Length, out value);

    public static bool TryParseDecimal(char[] text, int start, int length, out FixedDecimal value)
    {
        value = default;
        var end = start + length;
        var i = start;
        var negative = i < end && text[i] == '-';
        if (negative)
        {
            i++;
        }

        var integerStart = i;
        long mantissa = 0; // accumulated negatively so that long.MinValue fits
        var digits = 0;
        while (i < end && text[i] >= '0' && text[i] <= '9')
        {
            if (!Accumulate(ref mantissa, text[i] - '0'))
            {
                return false;
            }

            digits++;
            i++;
        }

        var integerDigits = i - integerStart;
        if (integerDigits == 0 || (integerDigits > 1 && text[integerStart] == '0'))
        {
            return false;
        }

        var scale = 0;
        if (i < end && text[i] == '.')
        {
            i++;
            while (i < end && text[i] >= '0' && text[i] <= '9')
            {
                if (!Accumulate(ref mantissa, text[i] - '0'))
                {
                    return false;
                }

                scale++;
                digits++;
                i++;
            }

            if (scale == 0)
            {
                return false;
            }
        }

        if (i != end || scale > FixedDecimal.MaxScale || (negative && mantissa == 0))
        {
            return false;
        }

        if (!negative)
        {
            if (mantissa == long.MinValue)
            {
                return false;
            }

            mantissa = -mantissa;
        }

        value = new FixedDecimal(mantissa, scale);
        return true;
    }

    private static bool Accumulate(ref long negativeMantissa, int digit)
    {
        if (negativeMantissa < (long.MinValue + digit) / 10)
        {
            return false;
        }

        negativeMantissa = (negativeMantissa * 10) - digit;
        return true;
    }

    private static int Digits(char[] text, int start, int count)
    {
        var value = 0;
        for (var i = 0; i < count; i++)
        {
            var c = text[start + i];
            if (c < '0' || c > '9')
            {
                return -1;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
