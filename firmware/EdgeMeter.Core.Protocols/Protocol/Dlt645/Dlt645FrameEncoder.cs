namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>
/// Writes complete frames (FE preamble, header, DATA + 0x33, CS, 16) into a caller's buffer and returns their
/// length: any frame, and the requests a master sends (a meter's replies are the meter simulator's:
/// EdgeMeter.MeterSim). Pure: no I/O, no allocation.
/// </summary>
public static class Dlt645FrameEncoder
{
    /// <summary>Preamble bytes a master sends before a frame to wake the meter's receiver.</summary>
    public const int DefaultPreambleLength = 4;

    /// <summary>The most a master sends; a parser accepts any number.</summary>
    public const int MaxPreambleLength = 4;

    /// <summary>The longest frame including the longest preamble.</summary>
    public const int MaxFrameLength = MaxPreambleLength + 12 + Dlt645Frame.MaxDataLength;

    private const byte Preamble = 0xFE;
    private const byte StartByte = 0x68;
    private const byte EndByte = 0x16;
    private const byte DataOffset = 0x33;

    /// <summary>
    /// Any frame: <paramref name="data"/> holds DATA as meant (the 0x33 offset is added here).
    /// </summary>
    public static int Encode(
        byte[] destination,
        int offset,
        int preambleLength,
        Dlt645Address address,
        byte control,
        byte[]? data,
        int dataOffset,
        int dataLength)
    {
        var position = Begin(destination, offset, preambleLength, address, control);
        position = PutData(destination, position, data, dataOffset, dataLength);
        return Finish(destination, offset, preambleLength, position);
    }

    /// <summary>Read request: 2007 function 11 with a 4-byte DI, 1997 function 01 with a 2-byte DI.</summary>
    public static int EncodeReadRequest(
        byte[] destination,
        int offset,
        int preambleLength,
        Dlt645Version version,
        Dlt645Address address,
        uint dataIdentifier)
    {
        var position = Begin(destination, offset, preambleLength, address, Dlt645Control.ReadFunction(version));
        position = PutDataIdentifier(destination, position, version, dataIdentifier);
        return Finish(destination, offset, preambleLength, position);
    }

    /// <summary>
    /// Asks for the next frame of a multi-frame reply: 2007 function 12 with DI and frame sequence number
    /// (1 for the first follow-up); 1997 function 02 with the DI only (<paramref name="sequence"/> unused).
    /// </summary>
    public static int EncodeReadFollowUpRequest(
        byte[] destination,
        int offset,
        int preambleLength,
        Dlt645Version version,
        Dlt645Address address,
        uint dataIdentifier,
        byte sequence)
    {
        var control = Dlt645Control.ReadFollowUpFunction(version);
        var position = Begin(destination, offset, preambleLength, address, control);
        position = PutDataIdentifier(destination, position, version, dataIdentifier);
        if (version == Dlt645Version.V2007)
        {
            position = PutByte(destination, position, sequence);
        }

        return Finish(destination, offset, preambleLength, position);
    }

    /// <summary>
    /// Read address of the only meter on the bus, sent to AA x 6: 2007 function 13 without data; 1997 has no such
    /// function, so a read of DI C032 (meter number) is sent and the address comes back in its data.
    /// </summary>
    public static int EncodeReadAddressRequest(byte[] destination, int offset, int preambleLength, Dlt645Version version)
    {
        if (version == Dlt645Version.V1997)
        {
            return EncodeReadRequest(
                destination, offset, preambleLength, version, Dlt645Address.Wildcard, Dlt645Catalogue.MeterNumber1997);
        }

        var position = Begin(destination, offset, preambleLength, Dlt645Address.Wildcard, Dlt645Control.ReadAddress);
        return Finish(destination, offset, preambleLength, position);
    }

    /// <summary>Broadcast time (08) to 99 x 6: six BCD bytes of the meters' local time in the given order.</summary>
    public static int EncodeBroadcastTime(
        byte[] destination,
        int offset,
        int preambleLength,
        System.DateTime localTime,
        Dlt645TimeOrder order)
    {
        var position = Begin(destination, offset, preambleLength, Dlt645Address.Broadcast, Dlt645Control.BroadcastTime);
        Dlt645ValueCodec.EncodeBroadcastTime(localTime, order, destination, position);
        position = AddOffset(destination, position, 6);
        return Finish(destination, offset, preambleLength, position);
    }

    private static int Begin(byte[] destination, int offset, int preambleLength, Dlt645Address address, byte control)
    {
        if (preambleLength < 0)
        {
            throw new System.ArgumentOutOfRangeException(nameof(preambleLength));
        }

        var position = offset;
        for (var i = 0; i < preambleLength; i++)
        {
            destination[position++] = Preamble;
        }

        destination[position++] = StartByte;
        address.WriteTo(destination, position);
        position += Dlt645Address.Length;
        destination[position++] = StartByte;
        destination[position++] = control;
        destination[position++] = 0; // L, set by Finish
        return position;
    }

    private static int PutByte(byte[] destination, int position, byte value)
    {
        destination[position] = (byte)(value + DataOffset);
        return position + 1;
    }

    private static int PutDataIdentifier(byte[] destination, int position, Dlt645Version version, uint dataIdentifier)
    {
        var length = Dlt645Control.DataIdentifierLength(version);
        for (var i = 0; i < length; i++)
        {
            position = PutByte(destination, position, (byte)(dataIdentifier >> (8 * i)));
        }

        return position;
    }

    private static int PutData(byte[] destination, int position, byte[]? data, int dataOffset, int dataLength)
    {
        if (dataLength > Dlt645Frame.MaxDataLength || (dataLength > 0 && data == null))
        {
            throw new System.ArgumentOutOfRangeException(nameof(dataLength));
        }

        for (var i = 0; i < dataLength; i++)
        {
            position = PutByte(destination, position, data![dataOffset + i]);
        }

        return position;
    }

    // Adds the 0x33 offset to bytes already written in place.
    private static int AddOffset(byte[] destination, int position, int count)
    {
        for (var i = 0; i < count; i++)
        {
            destination[position] = (byte)(destination[position] + DataOffset);
            position++;
        }

        return position;
    }

    private static int Finish(byte[] destination, int offset, int preambleLength, int position)
    {
        var start = offset + preambleLength;
        var dataLength = position - (start + 10);
        if (dataLength > Dlt645Frame.MaxDataLength)
        {
            throw new System.ArgumentOutOfRangeException(nameof(position), "DATA longer than 255 bytes.");
        }

        destination[start + 9] = (byte)dataLength;
        var sum = 0;
        for (var i = start; i < position; i++)
        {
            sum += destination[i];
        }

        destination[position++] = (byte)sum;
        destination[position++] = EndByte;
        return position - offset;
    }
}
