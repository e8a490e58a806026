using EdgeMeter.Core.Protocol.Modbus;
using static EdgeMeter.Core.Tests.Protocol.Modbus.ModbusBytes;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

public class ModbusFrameReaderTests
{
    [Theory]
    [InlineData("11 03 06 AE 41 56 52 43 40 49 AD")] // read holding registers: 5 + byte count
    [InlineData("11 01 05 CD 6B B2 0E 1B 45 E6")]    // read coils
    [InlineData("11 04 02 00 0A F8 F4")]             // read input registers
    [InlineData("11 02 03 AC DB 35 20 18")]          // read discrete inputs
    [InlineData("11 06 00 01 00 03 9A 9B")]          // echo: always 8
    [InlineData("11 0F 00 13 00 0A 26 99")]          // echo of write multiple coils
    [InlineData("01 83 02 C0 F1")]                   // exception: always 5
    public void Reads_a_response_byte_by_byte_and_never_asks_past_its_end(string hex)
    {
        var frame = FromHex(hex);
        var reader = ModbusFrameReader.ForResponses();
        var fed = 0;
        while (reader.State == ModbusFrameState.Incomplete)
        {
            Assert.InRange(reader.Missing, 1, frame.Length - fed);
            Assert.Equal(1, reader.Append(frame, fed, 1));
            fed++;
        }

        Assert.Equal(ModbusFrameState.Complete, reader.State);
        Assert.Equal(frame.Length, reader.Length);
        Assert.Equal(frame, reader.Buffer[..reader.Length]);
        Assert.Equal(0, reader.Missing);
    }

    [Theory]
    [InlineData("11 03 00 6B 00 03 76 87")]
    [InlineData("11 05 00 AC FF 00 4E 8B")]
    [InlineData("11 0F 00 13 00 0A 02 CD 01 BF 0B")]
    [InlineData("11 10 00 01 00 02 04 00 0A 01 02 C6 F0")]
    public void Reads_a_request_and_leaves_trailing_bytes_alone(string hex)
    {
        var frame = FromHex(hex);
        var line = frame.Concat(FromHex("DE AD BE EF")).ToArray();
        var reader = ModbusFrameReader.ForRequests();

        var taken = reader.Append(line, 0, line.Length);

        Assert.Equal(frame.Length, taken);
        Assert.Equal(ModbusFrameState.Complete, reader.State);
        Assert.Equal(frame, reader.Buffer[..reader.Length]);
    }

    [Fact]
    public void Header_reads_ask_for_exactly_the_header()
    {
        var reader = ModbusFrameReader.ForResponses();
        Assert.Equal(2, reader.Missing);
        reader.Append(FromHex("11 03"), 0, 2);
        Assert.Equal(1, reader.Missing);
        reader.Append(FromHex("06"), 0, 1);
        Assert.Equal(8, reader.Missing);

        var requests = ModbusFrameReader.ForRequests();
        requests.Append(FromHex("11 10"), 0, 2);
        Assert.Equal(5, requests.Missing);
        requests.Append(FromHex("00 01 00 02 04"), 0, 5);
        Assert.Equal(6, requests.Missing);
    }

    [Theory]
    [InlineData("11 07")]    // function the reader cannot frame
    [InlineData("11 2B")]
    [InlineData("11 03 00")] // a read reply with no data
    [InlineData("11 03 FC")] // longer than an RTU frame can be
    public void Refuses_headers_it_cannot_frame(string hex)
    {
        var bytes = FromHex(hex);
        var reader = ModbusFrameReader.ForResponses();
        reader.Append(bytes, 0, bytes.Length);
        Assert.Equal(ModbusFrameState.Unframeable, reader.State);
        Assert.Equal(0, reader.Missing);
    }

    [Fact]
    public void Reports_a_bad_checksum_once_the_frame_is_whole()
    {
        var frame = FromHex("11 04 02 00 0A F8 F5");
        var reader = ModbusFrameReader.ForResponses();
        reader.Append(frame, 0, 6);
        Assert.Equal(ModbusFrameState.Incomplete, reader.State);
        reader.Append(frame, 6, 1);
        Assert.Equal(ModbusFrameState.BadChecksum, reader.State);
    }

    [Fact]
    public void Advance_accounts_for_bytes_read_into_its_buffer_and_reset_starts_over()
    {
        var frame = FromHex("11 06 00 01 00 03 9A 9B");
        var reader = ModbusFrameReader.ForResponses();
        frame.AsSpan(0, 2).CopyTo(reader.Buffer);
        reader.Advance(2);
        Assert.Equal(6, reader.Missing);
        frame.AsSpan(2).CopyTo(reader.Buffer.AsSpan(2));
        reader.Advance(100); // clamped to what the frame needs
        Assert.Equal(ModbusFrameState.Complete, reader.State);
        Assert.Equal(8, reader.Length);

        reader.Reset();
        Assert.Equal(ModbusFrameState.Incomplete, reader.State);
        Assert.Equal(0, reader.Length);
        Assert.Equal(2, reader.Missing);
    }
}
