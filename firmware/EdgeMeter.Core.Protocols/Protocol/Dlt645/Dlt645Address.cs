namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>
/// A meter's 12-digit communication address. Printed as on the nameplate ("123456789012"); on the wire six
/// BCD bytes, lowest first (<c>12 90 78 56 34 12</c>). Read as hexadecimal, the printed form is exactly the
/// wire bytes A5..A0, which is how the value is held. Digit 'A' is allowed for wildcard nibbles.
/// </summary>
public readonly struct Dlt645Address
{
    /// <summary>Bytes of an address on the wire.</summary>
    public const int Length = 6;

    /// <summary>Characters of the printed form.</summary>
    public const int TextLength = 12;

    private const ulong BroadcastValue = 0x999999999999;
    private const ulong WildcardValue = 0xAAAAAAAAAAAA;

    private readonly ulong _value;

    private Dlt645Address(ulong value)
    {
        _value = value;
    }

    /// <summary><c>99 99 99 99 99 99</c>: every meter listens, none replies (time sync, freeze).</summary>
    public static Dlt645Address Broadcast => new Dlt645Address(BroadcastValue);

    /// <summary><c>AA AA AA AA AA AA</c>: any meter replies (read address with one meter on the bus).</summary>
    public static Dlt645Address Wildcard => new Dlt645Address(WildcardValue);

    public bool IsBroadcast => _value == BroadcastValue;

    public bool IsWildcard => _value == WildcardValue;

    /// <summary>
    /// Parses 1 to 12 digits (shorter text is padded with leading zeros); 'A' or 'a' marks a wildcard nibble.
    /// </summary>
    public static bool TryParse(string? text, out Dlt645Address address)
    {
        address = default;
        if (text == null || text.Length == 0 || text.Length > TextLength)
        {
            return false;
        }

        ulong value = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int nibble;
            if (c >= '0' && c <= '9')
            {
                nibble = c - '0';
            }
            else if (c == 'A' || c == 'a')
            {
                nibble = 0xA;
            }
            else
            {
                return false;
            }

            value = (value << 4) | (uint)nibble;
        }

        address = new Dlt645Address(value);
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/>; throws <see cref="System.ArgumentException"/> on bad text.</summary>
    public static Dlt645Address Parse(string text)
    {
        if (!TryParse(text, out var address))
        {
            throw new System.ArgumentException("A DL/T 645 address is 1 to 12 decimal digits.", nameof(text));
        }

        return address;
    }

    /// <summary>Reads the six wire bytes A0..A5 at <paramref name="offset"/>.</summary>
    public static Dlt645Address FromBytes(byte[] buffer, int offset)
    {
        ulong value = 0;
        for (var i = Length - 1; i >= 0; i--)
        {
            value = (value << 8) | buffer[offset + i];
        }

        return new Dlt645Address(value);
    }

    /// <summary>Writes the six wire bytes A0..A5 at <paramref name="offset"/>.</summary>
    public void WriteTo(byte[] buffer, int offset)
    {
        var value = _value;
        for (var i = 0; i < Length; i++)
        {
            buffer[offset + i] = (byte)value;
            value >>= 8;
        }
    }

    /// <summary>Writes the 12 printed characters at <paramref name="offset"/> and returns 12.</summary>
    public int WriteTo(char[] destination, int offset)
    {
        for (var i = 0; i < TextLength; i++)
        {
            var nibble = (int)(_value >> ((TextLength - 1 - i) * 4)) & 0xF;
            destination[offset + i] = (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
        }

        return TextLength;
    }

    public override string ToString()
    {
        var text = new char[TextLength];
        WriteTo(text, 0);
        return new string(text);
    }

    public bool Equals(Dlt645Address other) => _value == other._value;

    public override bool Equals(object? obj) => obj is Dlt645Address other && Equals(other);

    public override int GetHashCode() => (int)_value ^ (int)(_value >> 32);

    public static bool operator ==(Dlt645Address left, Dlt645Address right) => left._value == right._value;

    public static bool operator !=(Dlt645Address left, Dlt645Address right) => left._value != right._value;
}
