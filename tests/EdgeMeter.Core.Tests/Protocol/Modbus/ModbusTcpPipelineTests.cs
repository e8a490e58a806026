using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Tests.Fakes;
using EdgeMeter.Core.Values;
using EdgeMeter.MeterSim.Protocol.Modbus;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

/// <summary>Several outstanding requests on Modbus TCP: one round for a meter's blocks, replies taken by id in any order.</summary>
public class ModbusTcpPipelineTests
{
    private readonly ManualClock _clock = new();
    private readonly ScriptedModbusLink _link;
    private readonly ModbusTcpMaster _master;
    private readonly ModbusTestServer _server = new(1);

    public ModbusTcpPipelineTests()
    {
        _link = new ScriptedModbusLink(_clock, baudRate: 0);
        _master = new ModbusTcpMaster(_link, _clock) { ResponseTimeoutMilliseconds = 500, MaxOutstanding = 4 };
        for (var r = 0; r < 300; r++)
        {
            _server.Holding[r] = (ushort)(1000 + r);
        }
    }

    [Fact]
    public void Blocks_go_out_in_one_write_and_replies_in_reverse_order_land_in_their_blocks()
    {
        _link.Server = Burst(_server.Serve, reverse: true, answer: int.MaxValue);
        var plan = Plan(0, 50, 100, 200, 250);
        var statuses = new ReadStatus[plan.BlockCount];

        _master.ReadPipelined(plan, statuses);

        Assert.Equal(5, plan.BlockCount);
        Assert.All(statuses, s => Assert.Equal(ReadStatus.Ok, s));
        Assert.Equal(2, _link.WriteCount); // windows of 4 and 1
        for (var b = 0; b < plan.BlockCount; b++)
        {
            var block = plan.GetBlock(b);
            Assert.Equal(1000 + block.Address, block.Registers[0]);
        }
    }

    [Fact]
    public void A_server_that_answers_only_the_first_leaves_the_rest_timed_out()
    {
        _link.Server = Burst(_server.Serve, reverse: false, answer: 1);
        var plan = Plan(0, 50, 100);
        var statuses = new ReadStatus[plan.BlockCount];

        _master.ReadPipelined(plan, statuses);

        Assert.Equal([ReadStatus.Ok, ReadStatus.Timeout, ReadStatus.Timeout], statuses);
    }

    [Fact]
    public void A_session_reads_what_the_round_missed_one_by_one_and_loses_no_point()
    {
        _link.Server = Burst(_server.Serve, reverse: false, answer: 1);
        var points = new[] { Point("a", 0), Point("b", 50), Point("c", 100) };
        var session = new ModbusMeterSession(0, "plc", _master, points, new ModbusBlockPlanner(), 60, 500, 1, _clock);
        var sink = new ValueSink();

        Assert.True(session.Poll(sink));

        Assert.Equal(["a 1000", "b 1050", "c 1100"], sink.Values);
        Assert.Equal(3, _link.WriteCount); // the round, then the two it missed
    }

    [Fact]
    public void Meters_of_one_model_share_points_and_plan_and_each_reads_its_own_unit()
    {
        var second = new ModbusTestServer(2);
        for (var r = 0; r < 300; r++)
        {
            second.Holding[r] = (ushort)(2000 + r);
        }

        _link.Server = Burst(frame => frame[0] == 2 ? second.Serve(frame) : _server.Serve(frame), reverse: true, answer: int.MaxValue);
        var points = new[] { Point("a", 0, unit: 0), Point("b", 50, unit: 0), Point("c", 100, unit: 0) };
        var plan = new ModbusBlockPlanner().Plan(points);
        var first = new ModbusMeterSession(0, "m1", _master, points, plan, 1, 60, 500, 1, _clock);
        var other = new ModbusMeterSession(1, "m2", _master, points, plan, 2, 60, 500, 1, _clock);
        var sink = new ValueSink();

        Assert.True(first.Poll(sink));
        Assert.True(other.Poll(sink));
        Assert.True(first.Poll(sink));

        Assert.Equal(["a 1000", "b 1050", "c 1100", "a 2000", "b 2050", "c 2100", "a 1000", "b 1050", "c 1100"], sink.Values);
        Assert.Equal(3, _link.WriteCount); // one pipelined round each
    }

    [Fact]
    public void Exception_replies_in_a_round_are_the_blocks_error_replies()
    {
        _link.Server = Burst(_server.Serve, reverse: false, answer: int.MaxValue);
        var plan = Plan(0, 5000);
        var statuses = new ReadStatus[plan.BlockCount];

        _master.ReadPipelined(plan, statuses);

        Assert.Equal([ReadStatus.Ok, ReadStatus.ErrorReply], statuses);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, _master.LastException);
    }

    private static ModbusPoint Point(string id, int address, byte unit = 1) =>
        new(id, unit, ModbusFunction.ReadHoldingRegisters, address, ModbusDataType.UInt16, ModbusWordOrder.BigEndian, 0);

    private static ModbusReadPlan Plan(params int[] addresses) =>
        new ModbusBlockPlanner().Plan(addresses.Select((a, i) => Point("p" + i, a)).ToArray());

    /// <summary>A server behind MBAP framing that takes a burst of ADUs, answers the first <paramref name="answer"/>, in
    /// reverse order if asked, all in one segment.</summary>
    private static Func<byte[], byte[]?> Burst(Func<byte[], byte[]?> rtuServer, bool reverse, int answer) => bytes =>
    {
        var reader = new ModbusTcpAduReader();
        var replies = new List<byte[]>();
        foreach (var value in bytes)
        {
            if (reader.Feed(value) && replies.Count < answer)
            {
                var reply = rtuServer(reader.Frame[..reader.Length]);
                replies.Add(ModbusTcpAduReader.ToAdu(reply!, reply!.Length, reader.Transaction));
            }
        }

        if (reverse)
        {
            replies.Reverse();
        }

        return replies.Count == 0 ? null : replies.SelectMany(r => r).ToArray();
    };

    private sealed class ValueSink : IPointSink
    {
        public List<string> Values { get; } = [];

        public void PollStarted(MeterSession meter)
        {
        }

        public void Accept(MeterSession meter, int pointIndex, ReadStatus status, FixedDecimal value) =>
            Values.Add(status == ReadStatus.Ok ? $"{(char)('a' + pointIndex)} {value}" : $"{(char)('a' + pointIndex)} {status}");

        public void AcceptAlarmed(MeterSession meter, int pointIndex, FixedDecimal value) => Values.Add("alarmed");

        public void AcceptFrozen(MeterSession meter, int pointIndex, DateTime atUtc, FixedDecimal value) => Values.Add("frozen");

        public void PollCompleted(MeterSession meter)
        {
        }

        public void CycleCompleted()
        {
        }
    }
}
