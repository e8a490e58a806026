using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Tests.Fakes;
using EdgeMeter.MeterSim.Protocol.Modbus;
using static EdgeMeter.Core.Tests.Protocol.Modbus.ModbusBytes;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

public class ModbusTcpMasterTests
{
    private readonly ManualClock _clock = new();
    private readonly ScriptedModbusLink _link;
    private readonly ModbusTcpMaster _master;

    public ModbusTcpMasterTests()
    {
        _link = new ScriptedModbusLink(_clock, baudRate: 0);
        _master = new ModbusTcpMaster(_link, _clock) { ResponseTimeoutMilliseconds = 500 };
    }

    [Fact]
    public void Reads_holding_registers_with_the_implementation_guides_frames()
    {
        // The RTU example of the Modbus spec (unit 0x11, registers 0x6B..0x6D) in MBAP framing, transaction 1.
        _link.EnqueueReply(FromHex("0001 0000 0009 11 03 06 AE41 5652 4340"));
        var registers = new ushort[3];

        Assert.Equal(ReadStatus.Ok, _master.ReadHoldingRegisters(0x11, 0x6B, 3, registers));

        Assert.Equal("000100000006110300" + "6B0003", ToHex(_link.LastRequest));
        Assert.Equal(new ushort[] { 0xAE41, 0x5652, 0x4340 }, registers);
        Assert.Equal(1, _master.LastTransaction);
    }

    [Fact]
    public void All_eight_functions_work_against_a_server_behind_mbap_framing()
    {
        var server = new ModbusTestServer(5);
        _link.Server = Mbap(server.Serve);
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
        Assert.Equal(Enumerable.Range(1, 8), _link.Requests.Select(r => (r[0] << 8) | r[1]));
    }

    [Fact]
    public void A_late_reply_to_an_earlier_request_is_dropped_not_taken_for_the_answer()
    {
        var registers = new ushort[1];
        _link.EnqueueReply();
        Assert.Equal(ReadStatus.Timeout, _master.ReadHoldingRegisters(1, 0, 1, registers));

        // The first request's answer arrives with the second's, in one piece, before it.
        _link.EnqueueReply(FromHex("0001 0000 0005 01 03 02 1111" + "0002 0000 0005 01 03 02 2222"));
        Assert.Equal(ReadStatus.Ok, _master.ReadHoldingRegisters(1, 0, 1, registers));

        Assert.Equal(0x2222, registers[0]);
    }

    [Fact]
    public void Assembles_a_reply_split_across_reads()
    {
        _link.EnqueueReply(FromHex("00"), FromHex("01 0000"), FromHex("0005 01"), FromHex("04 02"), FromHex("0C"), FromHex("35"));
        var registers = new ushort[1];

        Assert.Equal(ReadStatus.Ok, _master.ReadInputRegisters(1, 0, 1, registers));
        Assert.Equal(0x0C35, registers[0]);
    }

    [Fact]
    public void Reports_the_servers_exception_code()
    {
        _link.EnqueueReply(FromHex("0001 0000 0003 01 83 02"));

        Assert.Equal(ReadStatus.ErrorReply, _master.ReadHoldingRegisters(1, 0x300, 1, new ushort[1]));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, _master.LastException);
    }

    [Theory]
    [InlineData("0001 0001 0005 01 03 02 0000", "protocol id 1 is not Modbus")]
    [InlineData("0001 0000 0001 01", "no function code")]
    [InlineData("0001 0000 0005 02 03 02 0000", "another unit answered")]
    [InlineData("0001 0000 0005 01 04 02 0000", "another function answered")]
    [InlineData("0001 0000 0007 01 03 04 0000 0000", "more registers than asked")]
    public void Reports_a_reply_that_does_not_answer_the_request_as_malformed(string reply, string why)
    {
        _link.EnqueueReply(FromHex(reply));

        Assert.True(ReadStatus.Malformed == _master.ReadHoldingRegisters(1, 0, 1, new ushort[1]), why);
    }

    [Fact]
    public void Times_out_when_the_reply_stops_half_way_and_reports_a_failed_connection()
    {
        _link.EnqueueReply(FromHex("0001 0000 0005 01 03"));
        Assert.Equal(ReadStatus.Timeout, _master.ReadHoldingRegisters(1, 0, 1, new ushort[1]));

        _link.Down = true;
        Assert.Equal(ReadStatus.LinkDown, _master.ReadHoldingRegisters(1, 0, 1, new ushort[1]));
    }

    [Fact]
    public void Any_unit_id_can_address_a_device_behind_a_gateway()
    {
        var server = new ModbusTestServer(255);
        _link.Server = Mbap(server.Serve);
        server.Holding[0] = 7;
        var registers = new ushort[1];

        Assert.Equal(ReadStatus.Ok, _master.ReadHoldingRegisters(255, 0, 1, registers));
        Assert.Equal(7, registers[0]);
    }

    [Fact]
    public void Transaction_ids_wrap_after_65535()
    {
        var server = new ModbusTestServer(1);
        _link.Server = Mbap(server.Serve);
        _link.KeepRequests = false;
        for (var i = 0; i < 65_537; i++)
        {
            Assert.Equal(ReadStatus.Ok, _master.WriteSingleRegister(1, 0, 1));
        }

        Assert.Equal(1, _master.LastTransaction);
    }

    /// <summary>An RTU server seen through MBAP framing, the way the simulator's Modbus TCP sessions serve.</summary>
    private static Func<byte[], byte[]?> Mbap(Func<byte[], byte[]?> rtuServer) => adu =>
    {
        var reader = new ModbusTcpAduReader();
        var complete = false;
        foreach (var value in adu)
        {
            complete = reader.Feed(value);
        }

        Assert.True(complete, "the master sent one whole ADU");
        var reply = rtuServer(reader.Frame[..reader.Length]);
        return reply == null ? null : ModbusTcpAduReader.ToAdu(reply, reply.Length, reader.Transaction);
    };
}
