using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Tests.Fakes;
using static EdgeMeter.Core.Tests.Protocol.Cjt188.Cjt188Vectors;

namespace EdgeMeter.Core.Tests.Protocol.Cjt188;

public class Cjt188MasterTests
{
    private readonly ManualClock _clock = new();
    private readonly ScriptedLink _link;
    private readonly Cjt188Master _master;
    private readonly Cjt188CurrentData _data = new();

    public Cjt188MasterTests()
    {
        _link = new ScriptedLink(_clock) { ChunkSize = 7 };
        _master = new Cjt188Master(_link, _clock) { TimeoutMilliseconds = 500 };
    }

    [Fact]
    public void Reads_a_heat_meter_that_answers_with_another_type_of_its_family_and_another_sequence_number()
    {
        _link.EnqueueReply(Bytes("FE FE FE " + ReadHeatReply));

        var status = _master.ReadCurrent(Cjt188MeterType.Heat, Address("00312718241912"), swapped: true, _data);

        Assert.Equal(ReadStatus.Ok, status);
        Assert.Equal("FEFEFEFE6820121924182731000103" + "1F9001", Convert.ToHexString(_link.Writes[0])[..36]);
        Assert.True(_data.TryGet(Cjt188Field.Heat, out var heat, out var unit));
        Assert.Equal(("54427.88", "kWh"), (heat.ToString(), unit));
        Assert.Equal(1, _link.DiscardCount);
    }

    [Fact]
    public void Reads_a_water_meter_whose_reply_carries_the_di_in_the_other_order()
    {
        // Asked with 90 1F, answered with 1F 90: both orders are on real meters.
        var reply = Bytes(ReadWaterReply);
        (reply[11], reply[12]) = (reply[12], reply[11]);
        reply[^2] = Cjt188FrameParser.Checksum(reply, reply.Length - 2);
        _link.EnqueueReply(reply);

        Assert.Equal(ReadStatus.Ok, _master.ReadCurrent(Cjt188MeterType.ColdWater, Address("00002020120218"), swapped: false, _data));
        Assert.True(_data.TryGet(Cjt188Field.Total, out var total, out _));
        Assert.Equal("2.00", total.ToString());
    }

    [Fact]
    public void A_reply_from_another_meter_or_of_another_family_is_not_an_answer()
    {
        _link.EnqueueReply(Bytes(ReadWaterReply));
        Assert.Equal(ReadStatus.Timeout, _master.ReadCurrent(Cjt188MeterType.ColdWater, Address("00002020120219"), false, _data));

        _link.EnqueueReply(Bytes(ReadWaterReply));
        Assert.Equal(ReadStatus.Timeout, _master.ReadCurrent(Cjt188MeterType.Gas, Address("00002020120218"), false, _data));
    }

    [Fact]
    public void An_abnormal_reply_is_an_error_reply_and_a_garbled_one_a_bad_checksum()
    {
        var abnormal = Bytes("68 10 18 02 12 20 20 00 00 C1 03 01 04 00 00 16");
        abnormal[^2] = Cjt188FrameParser.Checksum(abnormal, abnormal.Length - 2);
        _link.EnqueueReply(abnormal);
        Assert.Equal(ReadStatus.ErrorReply, _master.ReadCurrent(Cjt188MeterType.ColdWater, Address("00002020120218"), false, _data));

        var garbled = Bytes(ReadWaterReply);
        garbled[15] ^= 0x40;
        _link.EnqueueReply(garbled);
        Assert.Equal(ReadStatus.BadChecksum, _master.ReadCurrent(Cjt188MeterType.ColdWater, Address("00002020120218"), false, _data));
    }

    [Fact]
    public void A_reply_that_is_no_known_layout_is_malformed_and_a_dead_line_is_link_down()
    {
        var odd = Bytes("68 10 18 02 12 20 20 00 00 81 04 90 1F 00 00 00 16");
        odd[^2] = Cjt188FrameParser.Checksum(odd, odd.Length - 2);
        _link.EnqueueReply(odd);
        Assert.Equal(ReadStatus.Malformed, _master.ReadCurrent(Cjt188MeterType.ColdWater, Address("00002020120218"), false, _data));

        _link.IsDown = true;
        Assert.Equal(ReadStatus.LinkDown, _master.ReadCurrent(Cjt188MeterType.ColdWater, Address("00002020120218"), false, _data));
    }

    [Fact]
    public void Reads_the_address_of_the_one_meter_on_the_line()
    {
        _link.EnqueueReply(Bytes(ReadAddressReply));

        Assert.Equal(ReadStatus.Ok, _master.ReadAddress(out var type, out var address));

        Assert.Equal(Cjt188MeterType.ColdWater, type);
        Assert.Equal("00002020120218", address.ToString());
        Assert.Equal("FEFEFEFE68AAAAAAAAAAAAAAAA0303810A", Convert.ToHexString(_link.Writes[0])[..34]);
    }

    [Fact]
    public void Nothing_is_allocated_per_read()
    {
        var reply = Bytes(ReadHeatReply);
        _link.RecordWrites = false;
        _link.Responder = (_, _, _) => reply;
        var address = Address("00312718241912");
        _master.ReadCurrent(Cjt188MeterType.Heat, address, true, _data);

        var ok = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            ok += _master.ReadCurrent(Cjt188MeterType.Heat, address, true, _data) == ReadStatus.Ok ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100, ok);
        Assert.Equal(0, allocated);
    }

    private static Cjt188Address Address(string text)
    {
        Assert.True(Cjt188Address.TryParse(text, out var address));
        return address;
    }
}
