using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.MeterSim.Protocol.Modbus;

/// <summary>
/// The server side of Modbus TCP framing: assembles ADUs (MBAP header and PDU) from a TCP byte stream and turns each
/// into the RTU frame with the same unit and PDU, so that the RTU request parser serves both; turns an RTU reply back
/// into the ADU that answers the request's transaction. A header that is not Modbus (protocol id not 0, impossible
/// length) makes the stream unusable: <see cref="Broken"/>, and the server closes the connection, as the Modbus TCP
/// implementation guide advises.
/// </summary>
public sealed class ModbusTcpAduReader
{
    private readonly byte[] _adu = new byte[ModbusTcpMaster.MaxAduLength];
    private int _count;

    /// <summary>The last request as an RTU frame (unit, PDU, CRC); valid after <see cref="Feed"/> returned true.</summary>
    public byte[] Frame { get; } = new byte[ModbusFrameReader.MaxFrameLength];

    public int Length { get; private set; }

    /// <summary>The transaction id of the last request.</summary>
    public int Transaction { get; private set; }

    public bool Broken { get; private set; }

    /// <summary>Takes one byte; true when it completed a request.</summary>
    public bool Feed(byte value)
    {
        if (Broken)
        {
            return false;
        }

        _adu[_count++] = value;
        if (_count < ModbusTcpMaster.HeaderLength)
        {
            return false;
        }

        var pdu = ModbusTcpFrame.PduLength(_adu);
        if (pdu < 0)
        {
            Broken = true;
            return false;
        }

        if (_count < ModbusTcpMaster.HeaderLength + pdu)
        {
            return false;
        }

        Transaction = ModbusTcpFrame.Transaction(_adu);
        Frame[0] = _adu[ModbusTcpMaster.HeaderLength - 1];
        Array.Copy(_adu, ModbusTcpMaster.HeaderLength, Frame, 1, pdu);
        Length = ModbusCrc.Append(Frame, 1 + pdu);
        _count = 0;
        return true;
    }

    /// <summary>The ADU answering <paramref name="transaction"/> with the RTU reply <c>rtu[0..length)</c>.</summary>
    public static byte[] ToAdu(byte[] rtu, int length, int transaction)
    {
        var adu = new byte[length - 2 + 6];
        ModbusTcpFrame.FromRtu(rtu, length, transaction, adu);
        return adu;
    }
}
