namespace EdgeMeter.Core.Protocol.Cjt188;

/// <summary>
/// A CJ/T 188 meter address: 7 bytes A0..A6, sent low byte first, written as 14 hex digits from A6 down to A0 (the
/// digits are BCD on meters: the last five bytes a serial number, A5 A6 the manufacturer's code). AAAAAAAAAAAAAA is
/// the broadcast address, for one meter alone on its bus.
/// </summary>
public readonly struct Cjt188Address
{
    public const int Length = 7;
    public const int TextLength = 14;
    private const long BroadcastValue = 0xAAAAAAAAAAAAAA;

    private readonly long _value;

    private Cjt188Address(long value)
    {
        _value = value;
    }

    public static Cjt188Address Broadcast => new Cjt188Address(BroadcastValue);

    public bool IsBroadcast => _value == BroadcastValue;

    /// <summary>14 hex digits, A6 first (e.g. 00002020120218), or AAAAAAAAAAAAAA.</summary>
    public static bool TryParse(string? text, out Cjt188Address address)
    {
        address = default;
        if (text == null || text.Length != TextLength)
        {
            return false;
        }

        long value = 0;
        for (var i = 0; i < TextLength; i++)
        {
            var digit = HexDigit(text[i]);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | (long)digit;
        }

        address = new Cjt188Address(value);
        return true;
    }

    /// <summary>The address at <c>buffer[offset..offset+7)</c>, A0 first.</summary>
    public static Cjt188Address FromBytes(byte[] buffer, int offset)
    {
        long value = 0;
        for (var i = Length - 1; i >= 0; i--)
        {
            value = (value << 8) | buffer[offset + i];
        }

        return new Cjt188Address(value);
    }

    /// <summary>Writes A0..A6 at <paramref name="offset"/>.</summary>
    public void WriteTo(byte[] buffer, int offset)
    {
        var value = _value;
        for (var i = 0; i < Length; i++)
        {
            buffer[offset + i] = (byte)value;
            value >>= 8;
        }
    }

    public override string ToString()
    {
        const string digits = "0123456789ABCDEF";
        var text = new char[TextLength];
        var value = _value;
        for (var i = TextLength - 1; i >= 0; i--)
        {
            text[i] = digits[(int)(value & 15)];
            value >>= 4;
        }

        return new string(text);
    }

    public bool Equals(Cjt188Address other) => _value == other._value;

    public override bool Equals(object? obj) => obj is Cjt188Address other && Equals(other);

    public override int GetHashCode() => (int)_value ^ (int)(_value >> 32);

    public static bool operator ==(Cjt188Address left, Cjt188Address right) => left._value == right._value;

    public static bool operator !=(Cjt188Address left, Cjt188Address right) => left._value != right._value;

    private static int HexDigit(char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }

        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }

        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }
}
