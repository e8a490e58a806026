using EdgeMeter.MeterSim.Protocol.Modbus;
using static EdgeMeter.Core.Tests.Protocol.Modbus.ModbusBytes;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

/// <summary>The server side of MBAP framing, as the simulator uses it.</summary>
public class ModbusTcpAduReaderTests
{
    [Fact]
    public void Turns_each_adu_of_a_stream_into_the_rtu_frame_with_the_same_unit_and_pdu()
    {
        var reader = new ModbusTcpAduReader();
        var stream = FromHex("0007 0000 0006 11 03 006B 0003" + "0008 0000 0006 01 04 0000 0002");
        var frames = new List<(int Transaction, string Rtu)>();
        foreach (var value in stream)
        {
            if (reader.Feed(value))
            {
                frames.Add((reader.Transaction, ToHex(reader.Frame.AsSpan(0, reader.Length))));
            }
        }

        // 1103006B00037687: the spec's RTU example, CRC included.
        Assert.Equal([(7, "1103006B00037687"), (8, "010400000002" + ToHex(Crc("010400000002")))], frames);
        Assert.False(reader.Broken);
    }

    [Fact]
    public void A_reply_goes_back_in_the_requests_transaction_without_its_crc()
    {
        var rtu = FromHex("11 03 06 AE41 5652 4340 49AD");

        Assert.Equal("1234000000091103" + "06AE4156524340", ToHex(ModbusTcpAduReader.ToAdu(rtu, rtu.Length, 0x1234)));
    }

    [Theory]
    [InlineData("0001 0001 0006 01 03 0000 0001")] // protocol id 1
    [InlineData("0001 0000 0000 01")] // no unit
    [InlineData("0001 0000 0100 01")] // 255-byte PDU
    public void A_header_that_is_not_modbus_breaks_the_stream(string bytes)
    {
        var reader = new ModbusTcpAduReader();
        var completed = FromHex(bytes).Count(reader.Feed);

        Assert.Equal(0, completed);
        Assert.True(reader.Broken);
    }

    private static byte[] Crc(string hex)
    {
        var crc = ReferenceCrc(FromHex(hex));
        return [(byte)crc, (byte)(crc >> 8)];
    }
}
