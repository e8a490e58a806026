using EdgeMeter.Core.Protocol.Dlt645;

namespace EdgeMeter.MeterSim.Protocol.Dlt645;

/// <summary>
/// The frames a meter answers with, written through the core's <see cref="Dlt645FrameEncoder.Encode"/> (which adds
/// the preamble, the 0x33 offset and the checksum). Returns the frame length.
/// </summary>
public static class Dlt645ReplyEncoder
{
    /// <summary>
    /// Normal read reply (2007: 91, or B1 when <paramref name="moreFrames"/>; 1997: 81 / A1): DI then the value
    /// bytes as meant (lowest first, before the 0x33 offset).
    /// </summary>
    public static int EncodeReadReply(
        byte[] destination,
        int offset,
        int preambleLength,
        Dlt645Version version,
        Dlt645Address address,
        uint dataIdentifier,
        byte[]? data,
        int dataOffset,
        int dataLength,
        bool moreFrames)
    {
        var control = Dlt645Control.Reply(Dlt645Control.ReadFunction(version), moreFrames);
        var body = new byte[Dlt645Control.DataIdentifierLength(version) + dataLength];
        var length = PutDataIdentifier(body, 0, version, dataIdentifier);
        length = PutData(body, length, data, dataOffset, dataLength);
        return Dlt645FrameEncoder.Encode(destination, offset, preambleLength, address, control, body, 0, length);
    }

    /// <summary>Reply to a read follow-up (2007: 92 or B2, data DI + bytes + sequence; 1997: 82 or A2, data DI + bytes).</summary>
    public static int EncodeReadFollowUpReply(
        byte[] destination,
        int offset,
        int preambleLength,
        Dlt645Version version,
        Dlt645Address address,
        uint dataIdentifier,
        byte[]? data,
        int dataOffset,
        int dataLength,
        byte sequence,
        bool moreFrames)
    {
        var control = Dlt645Control.Reply(Dlt645Control.ReadFollowUpFunction(version), moreFrames);
        var body = new byte[Dlt645Control.DataIdentifierLength(version) + dataLength + 1];
        var length = PutDataIdentifier(body, 0, version, dataIdentifier);
        length = PutData(body, length, data, dataOffset, dataLength);
        if (version == Dlt645Version.V2007)
        {
            body[length++] = sequence;
        }

        return Dlt645FrameEncoder.Encode(destination, offset, preambleLength, address, control, body, 0, length);
    }

    /// <summary>Abnormal reply to <paramref name="function"/> (read: D1 in 2007, C1 in 1997) with its error byte.</summary>
    public static int EncodeErrorReply(
        byte[] destination,
        int offset,
        int preambleLength,
        Dlt645Address address,
        byte function,
        Dlt645ErrorFlags errors) =>
        Dlt645FrameEncoder.Encode(destination, offset, preambleLength, address, Dlt645Control.ErrorReply(function), [(byte)errors], 0, 1);

    /// <summary>
    /// Reply to a read-address request: 2007 function 93 with the address as data; 1997 a read reply (81) of
    /// DI C032 carrying the address.
    /// </summary>
    public static int EncodeReadAddressReply(
        byte[] destination,
        int offset,
        int preambleLength,
        Dlt645Version version,
        Dlt645Address address)
    {
        var body = new byte[2 + Dlt645Address.Length];
        var length = 0;
        byte control;
        if (version == Dlt645Version.V1997)
        {
            control = Dlt645Control.Reply(Dlt645Control.Read1997, false);
            length = PutDataIdentifier(body, 0, version, Dlt645Catalogue.MeterNumber1997);
        }
        else
        {
            control = Dlt645Control.Reply(Dlt645Control.ReadAddress, false);
        }

        address.WriteTo(body, length);
        return Dlt645FrameEncoder.Encode(destination, offset, preambleLength, address, control, body, 0, length + Dlt645Address.Length);
    }

    private static int PutDataIdentifier(byte[] body, int position, Dlt645Version version, uint dataIdentifier)
    {
        var length = Dlt645Control.DataIdentifierLength(version);
        for (var i = 0; i < length; i++)
        {
            body[position++] = (byte)(dataIdentifier >> (8 * i));
        }

        return position;
    }

    private static int PutData(byte[] body, int position, byte[]? data, int dataOffset, int dataLength)
    {
        if (dataLength > Dlt645Frame.MaxDataLength || (dataLength > 0 && data == null))
        {
            throw new ArgumentOutOfRangeException(nameof(dataLength));
        }

        if (dataLength > 0)
        {
            Array.Copy(data!, dataOffset, body, position, dataLength);
        }

        return position + dataLength;
    }
}
