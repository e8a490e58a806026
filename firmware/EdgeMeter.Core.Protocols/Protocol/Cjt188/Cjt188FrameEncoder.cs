namespace EdgeMeter.Core.Protocol.Cjt188;

/// <summary>Request frames as a master sends them: FE preamble, <c>68 T A0..A6 C L DI0 DI1 SER CS 16</c>.</summary>
public static class Cjt188FrameEncoder
{
    /// <summary>The standard asks for 2-4; meters on M-Bus wake on them.</summary>
    public const int PreambleLength = 4;

    /// <summary>The longest request this encoder writes.</summary>
    public const int MaxRequestLength = PreambleLength + 16;

    public const byte ReadDataFunction = 0x01;
    public const byte ReadAddressFunction = 0x03;

    /// <summary>Current metering data.</summary>
    public const int CurrentDataIdentifier = 0x901F;

    /// <summary>The meter's address (read address).</summary>
    public const int AddressIdentifier = 0x810A;

    /// <summary>
    /// A request with a DI and SER. <paramref name="swapped"/>: DI as <c>1F 90</c>, as many meters and the 2018 edition
    /// send it, instead of the 2004 tables' <c>90 1F</c>. Returns the length.
    /// </summary>
    public static int EncodeRequest(byte[] buffer, byte meterType, Cjt188Address address, byte function, int dataIdentifier, bool swapped, byte sequence)
    {
        var at = 0;
        for (; at < PreambleLength; at++)
        {
            buffer[at] = 0xFE;
        }

        var start = at;
        buffer[at++] = 0x68;
        buffer[at++] = meterType;
        address.WriteTo(buffer, at);
        at += Cjt188Address.Length;
        buffer[at++] = function;
        buffer[at++] = 3;
        buffer[at++] = (byte)(swapped ? dataIdentifier : dataIdentifier >> 8);
        buffer[at++] = (byte)(swapped ? dataIdentifier >> 8 : dataIdentifier);
        buffer[at++] = sequence;
        buffer[at] = Cjt188FrameParser.Checksum(buffer, start, at - start);
        at++;
        buffer[at++] = 0x16;
        return at;
    }
}
