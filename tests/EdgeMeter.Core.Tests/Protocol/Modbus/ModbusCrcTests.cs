using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

public class ModbusCrcTests
{
    // Published request/response examples (Modbus spec, Simply Modbus) with the CRC bytes as sent on the wire.
    [Theory]
    [InlineData("01 03 00 00 00 0A", "C5 CD")]
    [InlineData("11 03 00 6B 00 03", "76 87")]
    [InlineData("11 03 06 AE 41 56 52 43 40", "49 AD")]
    [InlineData("01 03 00 01 00 01", "D5 CA")]
    [InlineData("11 05 00 AC FF 00", "4E 8B")]
    [InlineData("11 06 00 01 00 03", "9A 9B")]
    [InlineData("11 0F 00 13 00 0A 02 CD 01", "BF 0B")]
    [InlineData("11 10 00 01 00 02 04 00 0A 01 02", "C6 F0")]
    [InlineData("01 83 02", "C0 F1")]
    public void Matches_published_frames(string body, string crc)
    {
        var frame = new byte[256];
        var bytes = ModbusBytes.FromHex(body);
        bytes.CopyTo(frame, 0);

        var length = ModbusCrc.Append(frame, bytes.Length);

        Assert.Equal(bytes.Length + 2, length);
        Assert.Equal(ModbusBytes.FromHex(crc), frame[bytes.Length..length]);
        Assert.True(ModbusCrc.Check(frame, length));
    }

    [Fact]
    public void Check_value_of_the_catalogue_is_4B37()
    {
        var data = "123456789"u8.ToArray();
        Assert.Equal(0x4B37, ModbusCrc.Compute(data, 0, data.Length));
    }

    [Fact]
    public void Table_agrees_with_the_bitwise_definition_on_random_data()
    {
        var random = new Random(645);
        var data = new byte[300];
        for (var round = 0; round < 2000; round++)
        {
            random.NextBytes(data);
            var offset = random.Next(0, 50);
            var count = random.Next(0, 250);
            Assert.Equal(ModbusBytes.ReferenceCrc(data.AsSpan(offset, count)), ModbusCrc.Compute(data, offset, count));
        }
    }

    [Fact]
    public void Check_rejects_every_single_bit_error()
    {
        var frame = ModbusBytes.FromHex("11 03 06 AE 41 56 52 43 40 49 AD");
        for (var bit = 0; bit < frame.Length * 8; bit++)
        {
            frame[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(ModbusCrc.Check(frame, frame.Length));
            frame[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        Assert.True(ModbusCrc.Check(frame, frame.Length));
    }
}
