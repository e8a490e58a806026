using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.MeterSim.Protocol.Modbus;
using static EdgeMeter.Core.Tests.Protocol.Modbus.ModbusBytes;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

public class ModbusRtuCodecTests
{
    private readonly byte[] _frame = new byte[256];

    [Fact]
    public void Builds_the_published_requests()
    {
        Assert.Equal("01030000000AC5CD", Built(ModbusRtuRequest.BuildRead(_frame, 1, ModbusFunction.ReadHoldingRegisters, 0, 10)));
        Assert.Equal("1103006B00037687", Built(ModbusRtuRequest.BuildRead(_frame, 0x11, ModbusFunction.ReadHoldingRegisters, 0x6B, 3)));
        Assert.Equal("1101001300250E84", Built(ModbusRtuRequest.BuildRead(_frame, 0x11, ModbusFunction.ReadCoils, 0x13, 0x25)));
        Assert.Equal("110200C40016BAA9", Built(ModbusRtuRequest.BuildRead(_frame, 0x11, ModbusFunction.ReadDiscreteInputs, 0xC4, 0x16)));
        Assert.Equal("110400080001B298", Built(ModbusRtuRequest.BuildRead(_frame, 0x11, ModbusFunction.ReadInputRegisters, 8, 1)));
        Assert.Equal("110500ACFF004E8B", Built(ModbusRtuRequest.BuildWriteSingleCoil(_frame, 0x11, 0xAC, true)));
        Assert.Equal("1106000100039A9B", Built(ModbusRtuRequest.BuildWriteSingleRegister(_frame, 0x11, 1, 3)));
        bool[] coils = [true, false, true, true, false, false, true, true, true, false];
        Assert.Equal("110F0013000A02CD01BF0B", Built(ModbusRtuRequest.BuildWriteMultipleCoils(_frame, 0x11, 0x13, 10, coils)));
        Assert.Equal("11100001000204000A0102C6F0", Built(ModbusRtuRequest.BuildWriteMultipleRegisters(_frame, 0x11, 1, 2, [0x000A, 0x0102])));
    }

    [Fact]
    public void Builds_the_published_responses()
    {
        ushort[] registers = [0xAE41, 0x5652, 0x4340];
        Assert.Equal("110306AE415652434049AD", Built(ModbusResponseBuilder.BuildReadRegisters(_frame, 0x11, ModbusFunction.ReadHoldingRegisters, registers, 0, 3)));
        var coils = Bits("CD 6B B2 0E 1B", 0x25);
        Assert.Equal("110105CD6BB20E1B45E6", Built(ModbusResponseBuilder.BuildReadBits(_frame, 0x11, ModbusFunction.ReadCoils, coils, 0, 0x25)));
        Assert.Equal("018302C0F1", Built(ModbusResponseBuilder.BuildException(_frame, 1, ModbusFunction.ReadHoldingRegisters, ModbusExceptionCode.IllegalDataAddress)));
    }

    [Fact]
    public void Master_accepts_and_unpacks_a_matching_register_reply()
    {
        var request = FromHex("11 03 00 6B 00 03 76 87");
        var response = FromHex("11 03 06 AE 41 56 52 43 40 49 AD");

        Assert.Equal(ReadStatus.Ok, ModbusRtuResponse.Check(request, response, response.Length, out var exception));
        Assert.Equal(ModbusExceptionCode.None, exception);
        var registers = new ushort[3];
        ModbusRtuResponse.CopyRegisters(response, registers, 3);
        Assert.Equal(new ushort[] { 0xAE41, 0x5652, 0x4340 }, registers);
    }

    [Fact]
    public void Master_unpacks_bits_least_significant_first()
    {
        var request = FromHex("11 01 00 13 00 25 0E 84");
        var response = FromHex("11 01 05 CD 6B B2 0E 1B 45 E6");
        Assert.Equal(ReadStatus.Ok, ModbusRtuResponse.Check(request, response, response.Length, out _));
        var bits = new bool[0x25];
        ModbusRtuResponse.CopyBits(response, bits, 0x25);
        Assert.Equal(Bits("CD 6B B2 0E 1B", 0x25), bits);
        Assert.True(bits[0]);   // coil 20 on (0xCD bit 0)
        Assert.False(bits[1]);  // coil 21 off
    }

    [Theory]
    [InlineData(0x01, ModbusExceptionCode.IllegalFunction)]
    [InlineData(0x02, ModbusExceptionCode.IllegalDataAddress)]
    [InlineData(0x03, ModbusExceptionCode.IllegalDataValue)]
    [InlineData(0x04, ModbusExceptionCode.ServerDeviceFailure)]
    [InlineData(0x05, ModbusExceptionCode.Acknowledge)]
    [InlineData(0x06, ModbusExceptionCode.ServerDeviceBusy)]
    [InlineData(0x0A, ModbusExceptionCode.GatewayPathUnavailable)]
    [InlineData(0x0B, ModbusExceptionCode.GatewayTargetFailedToRespond)]
    [InlineData(0x08, (ModbusExceptionCode)0x08)] // memory parity error: not named, kept as its number
    public void Decodes_exception_replies_into_their_code(int code, ModbusExceptionCode expected)
    {
        var request = new byte[8];
        ModbusRtuRequest.BuildRead(request, 7, ModbusFunction.ReadInputRegisters, 100, 2);
        var response = new byte[5] { 7, 0x84, (byte)code, 0, 0 };
        ModbusCrc.Append(response, 3);

        Assert.Equal(ReadStatus.ErrorReply, ModbusRtuResponse.Check(request, response, 5, out var exception));
        Assert.Equal(expected, exception);
    }

    [Theory]
    [InlineData("12 03 06 AE 41 56 52 43 40", ReadStatus.Malformed)]   // another unit
    [InlineData("11 04 06 AE 41 56 52 43 40", ReadStatus.Malformed)]   // another function
    [InlineData("11 03 04 AE 41 56 52", ReadStatus.Malformed)]         // two registers, three asked
    [InlineData("11 84 02", ReadStatus.Malformed)]                     // exception for another function
    [InlineData("11 83 02", ReadStatus.ErrorReply)]
    public void Master_refuses_replies_that_do_not_answer_the_request(string body, ReadStatus expected)
    {
        var request = FromHex("11 03 00 6B 00 03 76 87");
        var response = WithCrc(body);
        Assert.Equal(expected, ModbusRtuResponse.Check(request, response, response.Length, out _));
    }

    [Fact]
    public void Master_reports_a_bad_crc_before_anything_else()
    {
        var request = FromHex("11 03 00 6B 00 03 76 87");
        var response = FromHex("12 03 06 AE 41 56 52 43 40 49 AD");
        Assert.Equal(ReadStatus.BadChecksum, ModbusRtuResponse.Check(request, response, response.Length, out _));
    }

    [Theory]
    [InlineData("11 06 00 01 00 04")] // value differs
    [InlineData("11 06 00 02 00 03")] // address differs
    public void Master_requires_writes_to_be_echoed_exactly(string body)
    {
        var request = FromHex("11 06 00 01 00 03 9A 9B");
        var response = WithCrc(body);
        Assert.Equal(ReadStatus.Malformed, ModbusRtuResponse.Check(request, response, response.Length, out _));
        var echo = WithCrc("11 06 00 01 00 03");
        Assert.Equal(ReadStatus.Ok, ModbusRtuResponse.Check(request, echo, echo.Length, out _));
    }

    [Fact]
    public void Server_parses_every_function()
    {
        var request = new ModbusRequest();

        Assert.Equal(ReadStatus.Ok, Parse("11 01 00 13 00 25 0E 84", request));
        AssertRequest(request, 0x11, ModbusFunction.ReadCoils, 0x13, 0x25);
        Assert.Equal(ReadStatus.Ok, Parse("11 02 00 C4 00 16 BA A9", request));
        AssertRequest(request, 0x11, ModbusFunction.ReadDiscreteInputs, 0xC4, 0x16);
        Assert.Equal(ReadStatus.Ok, Parse("11 03 00 6B 00 03 76 87", request));
        AssertRequest(request, 0x11, ModbusFunction.ReadHoldingRegisters, 0x6B, 3);
        Assert.Equal(ReadStatus.Ok, Parse("11 04 00 08 00 01 B2 98", request));
        AssertRequest(request, 0x11, ModbusFunction.ReadInputRegisters, 8, 1);

        Assert.Equal(ReadStatus.Ok, Parse("11 05 00 AC FF 00 4E 8B", request));
        AssertRequest(request, 0x11, ModbusFunction.WriteSingleCoil, 0xAC, 1);
        Assert.True(request.GetCoil(0));

        Assert.Equal(ReadStatus.Ok, Parse("11 06 00 01 00 03 9A 9B", request));
        AssertRequest(request, 0x11, ModbusFunction.WriteSingleRegister, 1, 1);
        Assert.Equal(3, request.GetRegister(0));

        Assert.Equal(ReadStatus.Ok, Parse("11 0F 00 13 00 0A 02 CD 01 BF 0B", request));
        AssertRequest(request, 0x11, ModbusFunction.WriteMultipleCoils, 0x13, 10);
        Assert.Equal(new[] { true, false, true, true, false, false, true, true, true, false }, Enumerable.Range(0, 10).Select(request.GetCoil));

        Assert.Equal(ReadStatus.Ok, Parse("11 10 00 01 00 02 04 00 0A 01 02 C6 F0", request));
        AssertRequest(request, 0x11, ModbusFunction.WriteMultipleRegisters, 1, 2);
        Assert.Equal(0x000A, request.GetRegister(0));
        Assert.Equal(0x0102, request.GetRegister(1));
    }

    [Theory]
    [InlineData("11 03 00 00 00 00", ModbusExceptionCode.IllegalDataValue)]    // zero registers
    [InlineData("11 03 00 00 00 7E", ModbusExceptionCode.IllegalDataValue)]    // 126 registers
    [InlineData("11 03 00 00 00 7D", ModbusExceptionCode.None)]                // 125 registers
    [InlineData("11 01 00 00 07 D1", ModbusExceptionCode.IllegalDataValue)]    // 2001 coils
    [InlineData("11 03 FF FF 00 02", ModbusExceptionCode.IllegalDataAddress)]  // past register 65535
    [InlineData("11 05 00 01 12 34", ModbusExceptionCode.IllegalDataValue)]    // coil value neither FF00 nor 0000
    [InlineData("11 10 00 01 00 02 02 00 0A", ModbusExceptionCode.IllegalDataValue)] // byte count says 1 register
    [InlineData("11 10 00 01 00 7C 02 00 01", ModbusExceptionCode.IllegalDataValue)] // 124 registers
    [InlineData("11 2B 0E 01 00", ModbusExceptionCode.IllegalFunction)]        // read device identification
    [InlineData("11 08 00 00 A5 37", ModbusExceptionCode.IllegalFunction)]     // diagnostics
    public void Server_reports_what_to_answer_with(string body, ModbusExceptionCode violation)
    {
        var request = new ModbusRequest();
        var frame = WithCrc(body);
        Assert.Equal(ReadStatus.Ok, ModbusRequestParser.Parse(frame, frame.Length, request));
        Assert.Equal(violation, request.Violation);
    }

    [Theory]
    [InlineData("11 03 00 6B 00 03 76 88", ReadStatus.BadChecksum)]
    [InlineData("11 03 00 6B 00 03 00 76 87", ReadStatus.BadChecksum)]
    [InlineData("11 03", ReadStatus.Malformed)]
    [InlineData("", ReadStatus.Malformed)]
    public void Server_ignores_damaged_requests(string hex, ReadStatus expected)
    {
        var frame = FromHex(hex);
        Assert.Equal(expected, ModbusRequestParser.Parse(frame, frame.Length, new ModbusRequest()));
    }

    [Theory]
    [InlineData("11 03 00 6B 00 03 00")] // 9 bytes for a fixed-length function
    [InlineData("11 10 00 01 00 02 04 00 0A 01")] // shorter than its byte count
    public void Server_refuses_lengths_that_contradict_the_function(string body)
    {
        var frame = WithCrc(body);
        Assert.Equal(ReadStatus.Malformed, ModbusRequestParser.Parse(frame, frame.Length, new ModbusRequest()));
    }

    [Fact]
    public void Server_echoes_writes_and_marks_broadcasts()
    {
        var request = new ModbusRequest();
        Assert.Equal(ReadStatus.Ok, Parse("11 10 00 01 00 02 04 00 0A 01 02 C6 F0", request));
        Assert.Equal("1110000100021298", Built(ModbusResponseBuilder.BuildWriteEcho(_frame, request)));
        Assert.False(request.IsBroadcast);

        var broadcast = WithCrc("00 06 00 01 00 03");
        Assert.Equal(ReadStatus.Ok, ModbusRequestParser.Parse(broadcast, broadcast.Length, request));
        Assert.True(request.IsBroadcast);
    }

    [Fact]
    public void Request_and_response_round_trip_through_both_sides()
    {
        var random = new Random(16);
        var request = new ModbusRequest();
        var requestFrame = new byte[256];
        var responseFrame = new byte[256];
        for (var round = 0; round < 500; round++)
        {
            var count = random.Next(1, 126);
            var values = Enumerable.Range(0, count).Select(_ => (ushort)random.Next(0, 65536)).ToArray();
            var address = random.Next(0, 65536 - count);
            var unit = (byte)random.Next(1, 248);

            var length = ModbusRtuRequest.BuildRead(requestFrame, unit, ModbusFunction.ReadInputRegisters, address, count);
            Assert.Equal(ReadStatus.Ok, ModbusRequestParser.Parse(requestFrame, length, request));
            AssertRequest(request, unit, ModbusFunction.ReadInputRegisters, address, count);
            Assert.Equal(ModbusExceptionCode.None, request.Violation);

            var responseLength = ModbusResponseBuilder.BuildReadRegisters(responseFrame, unit, request.Function, values, 0, count);
            Assert.Equal(ReadStatus.Ok, ModbusRtuResponse.Check(requestFrame, responseFrame, responseLength, out _));
            var read = new ushort[count];
            ModbusRtuResponse.CopyRegisters(responseFrame, read, count);
            Assert.Equal(values, read);

            var writeCount = Math.Min(count, ModbusRtuRequest.MaxWriteRegisters);
            length = ModbusRtuRequest.BuildWriteMultipleRegisters(requestFrame, unit, address, writeCount, values);
            Assert.Equal(ReadStatus.Ok, ModbusRequestParser.Parse(requestFrame, length, request));
            Assert.Equal(values[..writeCount], Enumerable.Range(0, writeCount).Select(i => request.GetRegister(i)));
            responseLength = ModbusResponseBuilder.BuildWriteEcho(responseFrame, request);
            Assert.Equal(ReadStatus.Ok, ModbusRtuResponse.Check(requestFrame, responseFrame, responseLength, out _));
        }
    }

    private string Built(int length) => ToHex(_frame.AsSpan(0, length));

    private static ReadStatus Parse(string hex, ModbusRequest request)
    {
        var frame = FromHex(hex);
        return ModbusRequestParser.Parse(frame, frame.Length, request);
    }

    private static void AssertRequest(ModbusRequest request, byte unit, ModbusFunction function, int address, int count)
    {
        Assert.Equal(unit, request.Unit);
        Assert.Equal(function, request.Function);
        Assert.Equal(address, request.Address);
        Assert.Equal(count, request.Count);
    }

    private static byte[] WithCrc(string body)
    {
        var bytes = FromHex(body);
        var frame = new byte[bytes.Length + 2];
        bytes.CopyTo(frame, 0);
        ModbusCrc.Append(frame, bytes.Length);
        return frame;
    }

    private static bool[] Bits(string hex, int count)
    {
        var bytes = FromHex(hex);
        return Enumerable.Range(0, count).Select(i => (bytes[i / 8] & (1 << (i % 8))) != 0).ToArray();
    }
}
