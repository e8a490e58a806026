using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Tests.Fakes;
using EdgeMeter.MeterSim.Protocol.Modbus;
using static EdgeMeter.Core.Tests.Protocol.Modbus.ModbusBytes;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

public class ModbusRtuMasterTests
{
    private readonly ManualClock _clock = new();
    private readonly ScriptedModbusLink _link;
    private readonly ModbusRtuMaster _master;

    public ModbusRtuMasterTests()
    {
        _link = new ScriptedModbusLink(_clock);
        _master = new ModbusRtuMaster(_link, _clock) { ResponseTimeoutMilliseconds = 500 };
    }

    [Fact]
    public void Reads_holding_registers_with_the_published_frames()
    {
        _link.EnqueueReply(FromHex("11 03 06 AE 41 56 52 43 40 49 AD"));
        var registers = new ushort[3];

        Assert.Equal(ReadStatus.Ok, _master.ReadHoldingRegisters(0x11, 0x6B, 3, registers));

        Assert.Equal("1103006B00037687", ToHex(_link.LastRequest));
        Assert.Equal(new ushort[] { 0xAE41, 0x5652, 0x4340 }, registers);
        Assert.Equal(ModbusExceptionCode.None, _master.LastException);
        Assert.Equal(1, _link.DiscardCount);
    }

    [Fact]
    public void All_eight_functions_work_against_a_server_built_from_the_codec()
    {
        var server = new ModbusTestServer(5);
        _link.Server = server.Serve;
        server.Input[10] = 2201;
        server.DiscreteInputs[3] = true;

        Assert.Equal(ReadStatus.Ok, _master.WriteMultipleRegisters(5, 100, 3, [1, 2, 0xFFFF]));
        Assert.Equal(ReadStatus.Ok, _master.WriteSingleRegister(5, 103, 0x1234));
        Assert.Equal(ReadStatus.Ok, _master.WriteMultipleCoils(5, 7, 10, [true, false, true, true, false, false, false, false, true, true]));
        Assert.Equal(ReadStatus.Ok, _master.WriteSingleCoil(5, 20, true));

        var registers = new ushort[4];
        Assert.Equal(ReadStatus.Ok, _master.ReadHoldingRegisters(5, 100, 4, registers));
        Assert.Equal(new ushort[] { 1, 2, 0xFFFF, 0x1234 }, registers);
        Assert.Equal(ReadStatus.Ok, _master.ReadInputRegisters(5, 10, 1, registers));
        Assert.Equal(2201, registers[0]);

        var bits = new bool[14];
        Assert.Equal(ReadStatus.Ok, _master.ReadCoils(5, 7, 14, bits));
        Assert.Equal(new[] { true, false, true, true, false, false, false, false, true, true, false, false, false, true }, bits);
        Assert.Equal(ReadStatus.Ok, _master.ReadDiscreteInputs(5, 0, 5, bits));
        Assert.Equal(new[] { false, false, false, true, false }, bits[..5]);
        Assert.Equal(8, server.RequestsServed);
    }

    [Fact]
    public void Assembles_a_reply_split_across_many_reads()
    {
        var reply = FromHex("11 03 06 AE 41 56 52 43 40 49 AD");
        _link.EnqueueReply(reply[..1], reply[1..2], reply[2..4], reply[4..9], reply[9..]);
        var registers = new ushort[3];

        Assert.Equal(ReadStatus.Ok, _master.ReadHoldingRegisters(0x11, 0x6B, 3, registers));
        Assert.Equal(0x4340, registers[2]);

        _link.EnqueueReply(reply.Select(b => new[] { b }).ToArray());
        Assert.Equal(ReadStatus.Ok, _master.ReadHoldingRegisters(0x11, 0x6B, 3, registers));
        Assert.Equal(0xAE41, registers[0]);
    }

    [Fact]
    public void Times_out_when_the_meter_is_silent()
    {
        _link.EnqueueReply();
        var start = _clock.MonotonicMilliseconds;

        Assert.Equal(ReadStatus.Timeout, _master.ReadHoldingRegisters(1, 0, 2, new ushort[2]));

        // 8 request bytes at 9600 baud, 11 bits each: 9.17 ms on the wire, then the 500 ms timeout.
        Assert.Equal(start + 10 + 500, _clock.MonotonicMilliseconds);
        Assert.Equal(ModbusExceptionCode.None, _master.LastException);
    }

    [Fact]
    public void Times_out_when_a_reply_stops_half_way_or_comes_too_late()
    {
        var reply = FromHex("11 03 06 AE 41 56 52 43 40 49 AD");
        _link.EnqueueReply(reply[..6]);
        Assert.Equal(ReadStatus.Timeout, _master.ReadHoldingRegisters(0x11, 0x6B, 3, new ushort[3]));

        _link.EnqueueDelayedReply(600, reply);
        Assert.Equal(ReadStatus.Timeout, _master.ReadHoldingRegisters(0x11, 0x6B, 3, new ushort[3]));

        _link.EnqueueDelayedReply(400, reply);
        Assert.Equal(ReadStatus.Ok, _master.ReadHoldingRegisters(0x11, 0x6B, 3, new ushort[3]));
    }

    [Fact]
    public void Reports_a_corrupted_reply_as_a_bad_checksum()
    {
        _link.EnqueueReply(FromHex("11 03 06 AE 41 56 53 43 40 49 AD"));
        var registers = new ushort[] { 7, 7, 7 };

        Assert.Equal(ReadStatus.BadChecksum, _master.ReadHoldingRegisters(0x11, 0x6B, 3, registers));
        Assert.Equal(new ushort[] { 7, 7, 7 }, registers);
    }

    [Theory]
    [InlineData("12 03 06 AE 41 56 52 43 40")] // another unit answered
    [InlineData("11 04 06 AE 41 56 52 43 40")] // another function
    [InlineData("11 03 04 AE 41 56 52")]       // too few registers
    [InlineData("11 07 00 00")]                // a function that cannot be framed
    public void Reports_a_reply_to_something_else_as_malformed(string body)
    {
        _link.EnqueueReply(WithCrc(body));
        Assert.Equal(ReadStatus.Malformed, _master.ReadHoldingRegisters(0x11, 0x6B, 3, new ushort[3]));
    }

    [Fact]
    public void Exposes_the_exception_code_until_the_next_call()
    {
        _link.EnqueueReply(FromHex("01 83 02 C0 F1"));
        Assert.Equal(ReadStatus.ErrorReply, _master.ReadHoldingRegisters(1, 9999, 1, new ushort[1]));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, _master.LastException);

        _link.EnqueueReply(WithCrc("01 86 06"));
        Assert.Equal(ReadStatus.ErrorReply, _master.WriteSingleRegister(1, 0, 1));
        Assert.Equal(ModbusExceptionCode.ServerDeviceBusy, _master.LastException);

        _link.EnqueueReply(WithCrc("01 06 00 00 00 01"));
        Assert.Equal(ReadStatus.Ok, _master.WriteSingleRegister(1, 0, 1));
        Assert.Equal(ModbusExceptionCode.None, _master.LastException);
    }

    [Fact]
    public void Server_exceptions_reach_the_caller()
    {
        var server = new ModbusTestServer(3, size: 100);
        _link.Server = server.Serve;

        Assert.Equal(ReadStatus.ErrorReply, _master.ReadHoldingRegisters(3, 99, 2, new ushort[2]));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, _master.LastException);

        server.ForcedException = ModbusExceptionCode.GatewayTargetFailedToRespond;
        Assert.Equal(ReadStatus.ErrorReply, _master.ReadInputRegisters(3, 0, 1, new ushort[1]));
        Assert.Equal(ModbusExceptionCode.GatewayTargetFailedToRespond, _master.LastException);
    }

    [Fact]
    public void Drops_stale_input_before_each_request()
    {
        _link.InjectInput(FromHex("11 03 06 00 00 00 00 00 00 FF FF"));
        _link.EnqueueReply(FromHex("11 03 06 AE 41 56 52 43 40 49 AD"));
        var registers = new ushort[3];

        Assert.Equal(ReadStatus.Ok, _master.ReadHoldingRegisters(0x11, 0x6B, 3, registers));
        Assert.Equal(0xAE41, registers[0]);
    }

    [Theory]
    [InlineData(9600, 11, 5)]   // 3.5 x 11 bits / 9600 = 4.01 ms
    [InlineData(19200, 11, 3)]  // 2.005 ms
    [InlineData(2400, 10, 15)]  // 14.58 ms
    [InlineData(38400, 11, 2)]  // fixed 1.75 ms above 19200
    [InlineData(115200, 11, 2)]
    public void Keeps_the_bus_silent_for_3_5_characters_between_frames(int baud, int bits, int silence)
    {
        _link.BaudRate = baud;
        _link.BitsPerCharacter = bits;
        _link.RepeatedReply = FromHex("11 06 00 01 00 03 9A 9B");

        Assert.Equal(ReadStatus.Ok, _master.WriteSingleRegister(0x11, 1, 3));
        Assert.Equal(0, _clock.SleepCount);
        var replyEnd = _clock.MonotonicMilliseconds;

        Assert.Equal(ReadStatus.Ok, _master.WriteSingleRegister(0x11, 1, 3));
        Assert.Equal(1, _clock.SleepCount);
        Assert.Equal(silence, _clock.LastSleepMilliseconds);
        Assert.Equal(replyEnd + silence, _link.LastWriteAt);

        _clock.Advance(1000); // the bus has been quiet long enough already
        Assert.Equal(ReadStatus.Ok, _master.WriteSingleRegister(0x11, 1, 3));
        Assert.Equal(1, _clock.SleepCount);
    }

    [Fact]
    public void Broadcast_writes_expect_no_reply_and_give_servers_time_to_act()
    {
        var server = new ModbusTestServer(9);
        _link.Server = server.Serve;
        var start = _clock.MonotonicMilliseconds;

        Assert.Equal(ReadStatus.Ok, _master.WriteSingleRegister(ModbusRtuMaster.BroadcastUnit, 4, 77));
        Assert.Equal(0, _link.ReadCount);
        Assert.Equal(77, server.Holding[4]);

        Assert.Equal(ReadStatus.Ok, _master.WriteMultipleRegisters(0, 5, 2, [1, 2]));
        Assert.Equal(0, _link.ReadCount);
        Assert.Equal(new ushort[] { 77, 1, 2 }, server.Holding[4..7]);
        Assert.Equal(start + 10 + ModbusRtuMaster.DefaultBroadcastDelayMilliseconds, _link.LastWriteAt);
    }

    [Fact]
    public void Reports_a_failed_link_as_link_down()
    {
        _link.Down = true;
        Assert.Equal(ReadStatus.LinkDown, _master.ReadHoldingRegisters(1, 0, 1, new ushort[1]));
        Assert.Equal(ReadStatus.LinkDown, _master.WriteSingleCoil(1, 0, false));
    }

    [Fact]
    public void Refuses_calls_no_meter_could_answer()
    {
        var registers = new ushort[200];
        Assert.Throws<ArgumentOutOfRangeException>(() => _master.ReadHoldingRegisters(0, 0, 1, registers));   // broadcast read
        Assert.Throws<ArgumentOutOfRangeException>(() => _master.ReadHoldingRegisters(248, 0, 1, registers));
        Assert.Throws<ArgumentOutOfRangeException>(() => _master.ReadHoldingRegisters(1, 0, 0, registers));
        Assert.Throws<ArgumentOutOfRangeException>(() => _master.ReadHoldingRegisters(1, 0, 126, registers));
        Assert.Throws<ArgumentOutOfRangeException>(() => _master.ReadInputRegisters(1, 65535, 2, registers));
        Assert.Throws<ArgumentOutOfRangeException>(() => _master.ReadHoldingRegisters(1, 0, 10, new ushort[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => _master.WriteMultipleRegisters(1, 0, 124, registers));
        Assert.Throws<ArgumentOutOfRangeException>(() => _master.ReadCoils(1, 0, 2001, new bool[2001]));
        Assert.Equal(0, _link.WriteCount);
    }

    [Fact]
    public void Steady_state_reads_allocate_nothing()
    {
        var reply = new byte[256];
        var values = Enumerable.Range(0, 60).Select(i => (ushort)i).ToArray();
        var length = ModbusResponseBuilder.BuildReadRegisters(reply, 1, ModbusFunction.ReadHoldingRegisters, values, 0, 60);
        _link.RepeatedReply = reply[..length];
        _link.KeepRequests = false;
        var registers = new ushort[60];
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(ReadStatus.Ok, _master.ReadHoldingRegisters(1, 0, 60, registers));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var failures = 0;
        for (var i = 0; i < 1000; i++)
        {
            if (_master.ReadHoldingRegisters(1, 0, 60, registers) != ReadStatus.Ok)
            {
                failures++;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
        Assert.Equal(59, registers[59]);
    }

    private static byte[] WithCrc(string body)
    {
        var bytes = FromHex(body);
        var frame = new byte[bytes.Length + 2];
        bytes.CopyTo(frame, 0);
        ModbusCrc.Append(frame, bytes.Length);
        return frame;
    }
}
