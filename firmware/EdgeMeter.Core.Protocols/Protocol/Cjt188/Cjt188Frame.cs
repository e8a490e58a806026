namespace EdgeMeter.Core.Protocol.Cjt188;

/// <summary>
/// One CJ/T 188 frame as received: <c>68 T A0..A6 C L DATA CS 16</c> (CS the byte sum from 68 through DATA). The
/// data starts with the data identifier DI0 DI1 and the sequence number SER. Reused by its parser.
/// </summary>
public sealed class Cjt188Frame
{
    /// <summary>The largest data field of a reply (the standard's limit for reads).</summary>
    public const int MaxDataLength = 0x64;

    /// <summary>Bit 7 of C: sent by a meter.</summary>
    public const byte FromMeter = 0x80;

    /// <summary>Bit 6 of C: the meter could not do what was asked.</summary>
    public const byte Abnormal = 0x40;

    public byte MeterType { get; internal set; }

    public Cjt188Address Address { get; internal set; }

    public byte Control { get; internal set; }

    public int DataLength { get; internal set; }

    /// <summary>The data field, <c>Data[0..DataLength)</c>.</summary>
    public byte[] Data { get; } = new byte[MaxDataLength];

    /// <summary>The function (C without the direction and abnormal bits): 01 read data, 03 read address.</summary>
    public int Function => Control & 0x3F;

    public bool IsReply => (Control & FromMeter) != 0;

    public bool IsAbnormal => (Control & Abnormal) != 0;

    /// <summary>The data identifier as the standard prints it (901FH): <c>Data[0]</c> high, <c>Data[1]</c> low.</summary>
    public int DataIdentifier => DataLength >= 2 ? (Data[0] << 8) | Data[1] : -1;
}
