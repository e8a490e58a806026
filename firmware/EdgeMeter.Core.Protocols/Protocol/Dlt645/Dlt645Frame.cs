namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>
/// One decoded frame: address, control byte and the DATA bytes with the 0x33 offset already removed.
/// The parser reuses one instance; copy out what must outlive the next frame.
/// </summary>
public sealed class Dlt645Frame
{
    /// <summary>The largest DATA field: the length byte L is one byte.</summary>
    public const int MaxDataLength = 255;

    public Dlt645Address Address { get; internal set; }

    public byte Control { get; internal set; }

    /// <summary>DATA as the meter meant it (0x33 removed); only the first <see cref="DataLength"/> bytes count.</summary>
    public byte[] Data { get; } = new byte[MaxDataLength];

    public int DataLength { get; internal set; }

    /// <summary>Bits 4..0 of the control byte, e.g. 0x11 for a 2007 read or its replies 91/B1/D1.</summary>
    public int Function => Control & Dlt645Control.FunctionMask;

    /// <summary>Sent by a meter (bit7), as opposed to a request or our own echo.</summary>
    public bool IsReply => (Control & Dlt645Control.ReplyFlag) != 0;

    /// <summary>An abnormal reply (bit6): DATA holds one error byte.</summary>
    public bool IsErrorReply => IsReply && (Control & Dlt645Control.ErrorFlag) != 0;

    /// <summary>More frames follow (bit5): ask with the read follow-up function.</summary>
    public bool HasMoreFrames => (Control & Dlt645Control.MoreFramesFlag) != 0;

    /// <summary>The error byte of an abnormal reply; <see cref="Dlt645ErrorFlags.None"/> otherwise.</summary>
    public Dlt645ErrorFlags ErrorFlags =>
        IsErrorReply && DataLength > 0 ? (Dlt645ErrorFlags)(Data[0] & 0x7F) : Dlt645ErrorFlags.None;

    /// <summary>Reads the data identifier that opens DATA (4 bytes in 2007, 2 in 1997, lowest first).</summary>
    public bool TryGetDataIdentifier(Dlt645Version version, out uint dataIdentifier)
    {
        var length = Dlt645Control.DataIdentifierLength(version);
        dataIdentifier = 0;
        if (DataLength < length)
        {
            return false;
        }

        for (var i = length - 1; i >= 0; i--)
        {
            dataIdentifier = (dataIdentifier << 8) | Data[i];
        }

        return true;
    }
}
