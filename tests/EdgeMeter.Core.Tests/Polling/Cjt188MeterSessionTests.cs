using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Tests.Fakes;
using EdgeMeter.Core.Tests.Protocol.Cjt188;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Polling;

/// <summary>A CJ/T 188 meter's poll: one read, every field; a wrong unit refused; the meter's own alarms kept with the values.</summary>
public class Cjt188MeterSessionTests
{
    private readonly ManualClock _clock = new();
    private readonly ScriptedLink _link;
    private readonly Cjt188MeterSession _session;
    private readonly Sink _sink = new();

    public Cjt188MeterSessionTests()
    {
        _link = new ScriptedLink(_clock);
        Assert.True(Cjt188Address.TryParse("00002020120218", out var address));
        _session = new Cjt188MeterSession(
            0, "w1", new Cjt188Master(_link, _clock), new Cjt188Meter(Cjt188MeterType.ColdWater, address, false),
            [Cjt188Field.Total, Cjt188Field.SettlementTotal, Cjt188Field.Total], ["m3", "m3", "L"], 60, 500, 0, _clock);
    }

    [Fact]
    public void One_read_gives_every_field_and_a_unit_the_meter_does_not_report_is_refused()
    {
        _link.EnqueueReply(Cjt188Vectors.Bytes(Cjt188Vectors.ReadWaterReply));

        Assert.True(_session.Poll(_sink));

        Assert.Equal(["ok 0 2.00", "ok 1 2.00", "Malformed 2"], _sink.Calls);
        Assert.Equal(1, _link.WriteCount);
    }

    [Fact]
    public void Values_read_while_the_battery_is_low_carry_the_alarm()
    {
        var reply = Cjt188Vectors.Bytes(Cjt188Vectors.ReadWaterReply);
        reply[^4] = 0x04;
        reply[^3] = 0x00;
        reply[^2] = Cjt188FrameParser.Checksum(reply, reply.Length - 2);
        _link.EnqueueReply(reply);

        Assert.True(_session.Poll(_sink));

        Assert.Equal(["alarmed 0 2.00", "alarmed 1 2.00", "Malformed 2"], _sink.Calls);
    }

    [Fact]
    public void A_silent_meter_fails_every_point()
    {
        _link.EnqueueReply(null);

        Assert.False(_session.Poll(_sink));

        Assert.Equal(["Timeout 0", "Timeout 1", "Timeout 2"], _sink.Calls);
    }

    private sealed class Sink : IPointSink
    {
        public List<string> Calls { get; } = [];

        public void PollStarted(MeterSession meter)
        {
        }

        public void Accept(MeterSession meter, int pointIndex, ReadStatus status, FixedDecimal value) =>
            Calls.Add(status == ReadStatus.Ok ? $"ok {pointIndex} {value}" : $"{status} {pointIndex}");

        public void AcceptAlarmed(MeterSession meter, int pointIndex, FixedDecimal value) => Calls.Add($"alarmed {pointIndex} {value}");

        public void AcceptFrozen(MeterSession meter, int pointIndex, DateTime atUtc, FixedDecimal value) => Calls.Add("frozen");

        public void PollCompleted(MeterSession meter)
        {
        }

        public void CycleCompleted()
        {
        }
    }
}
