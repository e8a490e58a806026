using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Tests.Fakes;
using EdgeMeter.Core.Values;
using EdgeMeter.MeterSim.Protocol.Dlt645;
using static EdgeMeter.Core.Tests.Protocol.Dlt645.Dlt645TestFrames;

namespace EdgeMeter.Core.Tests.Protocol.Dlt645;

public class Dlt645MasterTests
{
    private readonly ManualClock _clock = new();
    private readonly ScriptedLink _link;
    private readonly Dlt645Master _master;

    public Dlt645MasterTests()
    {
        _link = new ScriptedLink(_clock);
        _master = new Dlt645Master(_link, _clock);
    }

    [Fact]
    public void Reads_phase_A_voltage_with_the_reference_bytes()
    {
        _link.EnqueueReply(Hex(PhaseAVoltageReply));

        var status = _master.Read(Address, 0x02010100, out var value);

        Assert.Equal(ReadStatus.Ok, status);
        Assert.Equal(new FixedDecimal(2201, 1), value);
        Assert.Equal(ReadPhaseAVoltage, ToHex(_link.Writes.Single()));
        Assert.Equal(Dlt645ErrorFlags.None, _master.LastError);
        Assert.Equal("01 22", ToHex(_master.LastData, 0, _master.LastDataLength));
    }

    [Fact]
    public void Discards_stale_input_before_each_request()
    {
        _link.Inject(ReadReply(Address, 0x02010100, ValueBytes(0x02010100, "230.0")));
        _link.EnqueueReply(Hex(PhaseAVoltageReply));

        Assert.Equal(ReadStatus.Ok, _master.Read(Address, 0x02010100, out var value));

        Assert.Equal(new FixedDecimal(2201, 1), value);
        Assert.Equal(1, _link.DiscardCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Reads_replies_delivered_in_small_chunks(int chunkSize)
    {
        _link.ChunkSize = chunkSize;
        _link.EnqueueReply(Hex("00 FF").Concat(Hex(ForwardEnergyReply)).ToArray());

        Assert.Equal(ReadStatus.Ok, _master.Read(Address, 0x00010000, out var value));
        Assert.Equal(new FixedDecimal(1234567, 2), value);
    }

    [Fact]
    public void Ignores_the_echo_of_its_own_request()
    {
        _link.EnqueueReply(Hex(ReadPhaseAVoltage).Concat(Hex(PhaseAVoltageReply)).ToArray());

        Assert.Equal(ReadStatus.Ok, _master.Read(Address, 0x02010100, out var value));
        Assert.Equal(new FixedDecimal(2201, 1), value);
    }

    [Fact]
    public void Times_out_when_the_meter_is_silent()
    {
        _master.TimeoutMilliseconds = 300;
        _link.EnqueueReply(null);
        var start = _clock.MonotonicMilliseconds;

        Assert.Equal(ReadStatus.Timeout, _master.Read(Address, 0x02010100, out _));
        Assert.InRange(_clock.MonotonicMilliseconds - start, 300, 400);
    }

    [Fact]
    public void Times_out_on_an_incomplete_reply()
    {
        var truncated = Hex(PhaseAVoltageReply);
        _link.EnqueueReply(truncated.AsSpan(0, truncated.Length - 1).ToArray());

        Assert.Equal(ReadStatus.Timeout, _master.Read(Address, 0x02010100, out _));
    }

    [Fact]
    public void Calls_a_reply_from_another_meter_malformed()
    {
        var other = Dlt645Address.Parse("000000000001");
        _link.EnqueueReply(ReadReply(other, 0x02010100, ValueBytes(0x02010100, "220.1")));

        Assert.Equal(ReadStatus.Malformed, _master.Read(Address, 0x02010100, out _));
    }

    [Fact]
    public void Calls_a_reply_to_another_function_malformed()
    {
        var data = Hex("00 01 01 02 01 22");
        _link.EnqueueReply(Build(b => Dlt645FrameEncoder.Encode(b, 0, 0, Address, 0x94, data, 0, data.Length)));

        Assert.Equal(ReadStatus.Malformed, _master.Read(Address, 0x02010100, out _));
    }

    [Fact]
    public void Calls_a_reply_for_another_identifier_malformed()
    {
        _link.EnqueueReply(ReadReply(Address, 0x02010200, ValueBytes(0x02010200, "220.1")));

        Assert.Equal(ReadStatus.Malformed, _master.Read(Address, 0x02010100, out _));
    }

    [Fact]
    public void Calls_a_value_of_the_wrong_length_or_not_bcd_malformed()
    {
        _link.EnqueueReply(ReadReply(Address, 0x02010100, Hex("01 22 00")));
        _link.EnqueueReply(ReadReply(Address, 0x02010100, Hex("FF FF")));

        Assert.Equal(ReadStatus.Malformed, _master.Read(Address, 0x02010100, out _));
        Assert.Equal(ReadStatus.Malformed, _master.Read(Address, 0x02010100, out _));
    }

    [Fact]
    public void Reports_a_bad_checksum()
    {
        var reply = Hex(PhaseAVoltageReply);
        reply[^2]++;
        _link.EnqueueReply(reply);

        Assert.Equal(ReadStatus.BadChecksum, _master.Read(Address, 0x02010100, out _));
    }

    [Fact]
    public void Decodes_error_replies_into_named_errors()
    {
        _link.EnqueueReply(Hex(NoRequestedDataReply));

        Assert.Equal(ReadStatus.ErrorReply, _master.Read(Address, 0x02010100, out _));
        Assert.Equal(Dlt645ErrorFlags.NoRequestedData, _master.LastError);

        _link.EnqueueReply(Build(b => Dlt645ReplyEncoder.EncodeErrorReply(
            b, 0, 0, Address, Dlt645Control.Read, Dlt645ErrorFlags.Unauthorized | Dlt645ErrorFlags.Other)));
        Assert.Equal(ReadStatus.ErrorReply, _master.Read(Address, 0x02010100, out _));
        Assert.Equal(Dlt645ErrorFlags.Unauthorized | Dlt645ErrorFlags.Other, _master.LastError);

        _link.EnqueueReply(Hex(PhaseAVoltageReply));
        Assert.Equal(ReadStatus.Ok, _master.Read(Address, 0x02010100, out _));
        Assert.Equal(Dlt645ErrorFlags.None, _master.LastError);
    }

    [Fact]
    public void Refuses_unknown_identifiers_without_touching_the_bus()
    {
        Assert.Equal(ReadStatus.UnknownPoint, _master.Read(Address, 0x12345678, out _));
        Assert.Equal(ReadStatus.UnknownPoint, _master.Read(Address, 0x9010, out _));
        Assert.Equal(0, _link.WriteCount);
    }

    [Fact]
    public void Reads_any_identifier_raw()
    {
        _link.EnqueueReply(ReadReply(Address, 0x04000501, Hex("05 00")));

        Assert.Equal(ReadStatus.Ok, _master.ReadRaw(Address, 0x04000501));
        Assert.Equal("05 00", ToHex(_master.LastData, 0, _master.LastDataLength));
    }

    [Fact]
    public void Reports_a_dead_link()
    {
        _link.IsDown = true;

        Assert.Equal(ReadStatus.LinkDown, _master.Read(Address, 0x02010100, out _));
        Assert.Equal(ReadStatus.LinkDown, _master.BroadcastTime(new DateTime(2025, 1, 1)));
    }

    [Fact]
    public void Follows_up_a_multi_frame_2007_reply_and_concatenates_it()
    {
        var block = Hex("67 45 23 01  11 11 00 00  22 22 00 00  33 33 00 00  44 44 00 00");
        const uint Di = 0x0001FF00;
        _link.EnqueueReply(ReadReply(Address, Di, block[..8], more: true));
        _link.EnqueueReply(FollowUpReply(Di, block[8..16], sequence: 1, more: true));
        _link.EnqueueReply(FollowUpReply(Di, block[16..], sequence: 2, more: false));

        Assert.Equal(ReadStatus.Ok, _master.Read(Address, Di, out var total));

        Assert.Equal(new FixedDecimal(1234567, 2), total);
        Assert.Equal(ToHex(block), ToHex(_master.LastData, 0, _master.LastDataLength));
        Assert.Equal(3, _link.Writes.Count);
        Assert.Equal(
            "68 12 90 78 56 34 12 68 12 05 33 32 34 33 34",
            ToHex(_link.Writes[1], 4, 15)); // function 12, DI 00 01 FF 00, sequence 1
        Assert.Equal(0x35, _link.Writes[2][^3]); // sequence 2
        Assert.Equal(3, _link.DiscardCount);
    }

    [Fact]
    public void Concatenates_follow_ups_beyond_one_frame_and_refuses_a_reply_beyond_its_limit()
    {
        const uint Di = 0x0001FF00;
        var chunks = Enumerable.Range(0, 6).Select(i => Enumerable.Range(0, 200).Select(j => (byte)((i * 31) + j)).ToArray()).ToArray();
        _link.EnqueueReply(ReadReply(Address, Di, chunks[0], more: true));
        _link.EnqueueReply(FollowUpReply(Di, chunks[1], sequence: 1, more: true));
        _link.EnqueueReply(FollowUpReply(Di, chunks[2], sequence: 2, more: false));

        Assert.Equal(ReadStatus.Ok, _master.ReadRaw(Address, Di));
        Assert.Equal(ToHex(chunks[..3].SelectMany(c => c).ToArray()), ToHex(_master.LastData, 0, _master.LastDataLength));

        _link.EnqueueReply(ReadReply(Address, Di, chunks[0], more: true));
        for (var i = 1; i < 6; i++)
        {
            _link.EnqueueReply(FollowUpReply(Di, chunks[i], sequence: (byte)i, more: i < 5));
        }

        Assert.Equal(ReadStatus.Malformed, _master.ReadRaw(Address, Di)); // 1,200 bytes: over Dlt645Master.MaxReplyDataLength
    }

    [Fact]
    public void Calls_a_follow_up_with_the_wrong_sequence_malformed()
    {
        const uint Di = 0x0001FF00;
        _link.EnqueueReply(ReadReply(Address, Di, new byte[8], more: true));
        _link.EnqueueReply(FollowUpReply(Di, new byte[12], sequence: 2, more: false));

        Assert.Equal(ReadStatus.Malformed, _master.Read(Address, Di, out _));
        Assert.Equal(0, _master.LastDataLength);
    }

    [Fact]
    public void Reports_an_error_reply_to_a_follow_up()
    {
        const uint Di = 0x0001FF00;
        _link.EnqueueReply(ReadReply(Address, Di, new byte[8], more: true));
        _link.EnqueueReply(Build(b => Dlt645ReplyEncoder.EncodeErrorReply(
            b, 0, 0, Address, Dlt645Control.ReadFollowUp, Dlt645ErrorFlags.NoRequestedData)));

        Assert.Equal(ReadStatus.ErrorReply, _master.Read(Address, Di, out _));
        Assert.Equal(Dlt645ErrorFlags.NoRequestedData, _master.LastError);
    }

    [Fact]
    public void Reads_a_1997_meter()
    {
        _master.Version = Dlt645Version.V1997;
        _link.EnqueueReply(ReadReply(Address, 0x9010, ValueBytes(0x9010, "4567.89", Dlt645Version.V1997), version: Dlt645Version.V1997));

        Assert.Equal(ReadStatus.Ok, _master.Read(Address, 0x9010, out var value));

        Assert.Equal(new FixedDecimal(456789, 2), value);
        Assert.Equal("68 12 90 78 56 34 12 68 01 02 43 C3", ToHex(_link.Writes[0], 4, 12));
    }

    [Fact]
    public void Follows_up_a_multi_frame_1997_reply()
    {
        _master.Version = Dlt645Version.V1997;
        _link.EnqueueReply(ReadReply(Address, 0xB611, Hex("20"), more: true, version: Dlt645Version.V1997));
        _link.EnqueueReply(Build(b => Dlt645ReplyEncoder.EncodeReadFollowUpReply(
            b, 0, 0, Dlt645Version.V1997, Address, 0xB611, Hex("02"), 0, 1, 0, false)));

        Assert.Equal(ReadStatus.Ok, _master.Read(Address, 0xB611, out var value));

        Assert.Equal(new FixedDecimal(220, 0), value);
        Assert.Equal("68 12 90 78 56 34 12 68 02 02 44 E9", ToHex(_link.Writes[1], 4, 12));
    }

    [Fact]
    public void Reads_the_address_of_the_only_meter()
    {
        _link.EnqueueReply(Build(b => Dlt645ReplyEncoder.EncodeReadAddressReply(b, 0, 4, Dlt645Version.V2007, Address)));

        Assert.Equal(ReadStatus.Ok, _master.ReadAddress(out var address));

        Assert.Equal(Address, address);
        Assert.Equal(ReadAddressWildcard, ToHex(_link.Writes[0]));
    }

    [Fact]
    public void Reads_the_address_of_a_1997_meter()
    {
        _master.Version = Dlt645Version.V1997;
        _master.PreambleLength = 0;
        _link.EnqueueReply(Build(b => Dlt645ReplyEncoder.EncodeReadAddressReply(b, 0, 0, Dlt645Version.V1997, Address)));

        Assert.Equal(ReadStatus.Ok, _master.ReadAddress(out var address));

        Assert.Equal(Address, address);
        Assert.Equal(ReadAddress1997, ToHex(_link.Writes[0]));
    }

    [Theory]
    [InlineData(Dlt645TimeOrder.SecondsFirst, "3A 39 38 37 36 58")]
    [InlineData(Dlt645TimeOrder.YearFirst, "58 36 37 38 39 3A")]
    public void Broadcasts_time_in_the_profile_order_without_waiting(Dlt645TimeOrder order, string wireData)
    {
        _master.BroadcastTimeOrder = order;
        var start = _clock.MonotonicMilliseconds;

        Assert.Equal(ReadStatus.Ok, _master.BroadcastTime(new DateTime(2025, 3, 4, 5, 6, 7)));

        var frame = _link.Writes.Single();
        Assert.Equal("FE FE FE FE 68 99 99 99 99 99 99 68 08 06", ToHex(frame, 0, 14));
        Assert.Equal(wireData, ToHex(frame, 14, 6));
        Assert.Equal(start, _clock.MonotonicMilliseconds);
        Assert.Single(FeedAll(new Dlt645FrameParser(), frame));
    }

    [Fact]
    public void Reads_the_meter_clock()
    {
        var when = new DateTime(2025, 3, 4, 5, 6, 7);
        _link.EnqueueReply(DateReply(when));
        _link.EnqueueReply(TimeReply(when));

        Assert.Equal(ReadStatus.Ok, _master.ReadClock(Address, out var clock));

        Assert.Equal(when, clock);
        Assert.Equal(2, _link.WriteCount);
    }

    [Fact]
    public void Reads_the_date_again_when_midnight_may_have_passed()
    {
        var before = new DateTime(2025, 3, 4, 23, 59, 59);
        var after = new DateTime(2025, 3, 5, 0, 0, 1);
        _link.EnqueueReply(DateReply(before));
        _link.EnqueueReply(TimeReply(after));
        _link.EnqueueReply(DateReply(after));

        Assert.Equal(ReadStatus.Ok, _master.ReadClock(Address, out var clock));

        Assert.Equal(after, clock);
        Assert.Equal(3, _link.WriteCount);
    }

    [Fact]
    public void Reads_a_1997_meter_clock()
    {
        _master.Version = Dlt645Version.V1997;
        var when = new DateTime(2024, 2, 29, 12, 30, 0);
        var date = new byte[4];
        var time = new byte[3];
        Dlt645ValueCodec.EncodeDate(when, date, 0);
        Dlt645ValueCodec.EncodeTime(when, time, 0);
        _link.EnqueueReply(ReadReply(Address, 0xC010, date, version: Dlt645Version.V1997));
        _link.EnqueueReply(ReadReply(Address, 0xC011, time, version: Dlt645Version.V1997));

        Assert.Equal(ReadStatus.Ok, _master.ReadClock(Address, out var clock));
        Assert.Equal(when, clock);
    }

    [Fact]
    public void Calls_an_impossible_meter_clock_malformed()
    {
        _link.EnqueueReply(ReadReply(Address, 0x04000101, Hex("00 31 02 25")));
        _link.EnqueueReply(ReadReply(Address, 0x04000102, Hex("00 00 12")));

        Assert.Equal(ReadStatus.Malformed, _master.ReadClock(Address, out _));
    }

    [Fact]
    public void Reads_steadily_without_allocating()
    {
        var meter = new FakeDlt645Meter(Address);
        _link.Responder = meter.Respond;
        _link.RecordWrites = false;
        var block = new byte[20];

        for (var warmUp = 0; warmUp < 3; warmUp++)
        {
            ReadEverything(out _, out _, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            ReadEverything(out var voltage, out var total, out var clock);
            if (voltage.Mantissa != 2201 || total.Mantissa != 1234567 || clock.Year != 2025)
            {
                Assert.Fail("wrong value");
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(ReadStatus.Ok, _master.Read(Address, 0x0001FF00, out _));
        Assert.Equal(block.Length, _master.LastDataLength);
    }

    private void ReadEverything(out FixedDecimal voltage, out FixedDecimal total, out DateTime clock)
    {
        Check(_master.Read(Address, 0x02010100, out voltage));
        Check(_master.Read(Address, 0x0001FF00, out total));
        Check(_master.ReadClock(Address, out clock));
        Check(_master.ReadRaw(Address, 0x04000402) == ReadStatus.ErrorReply ? ReadStatus.Ok : ReadStatus.Malformed);
    }

    private static void Check(ReadStatus status)
    {
        if (status != ReadStatus.Ok)
        {
            Assert.Fail(status.ToString());
        }
    }

    private static byte[] FollowUpReply(uint di, byte[] data, byte sequence, bool more) =>
        Build(b => Dlt645ReplyEncoder.EncodeReadFollowUpReply(
            b, 0, 0, Dlt645Version.V2007, Address, di, data, 0, data.Length, sequence, more));

    private static byte[] DateReply(DateTime when)
    {
        var date = new byte[4];
        Dlt645ValueCodec.EncodeDate(when, date, 0);
        return ReadReply(Address, 0x04000101, date);
    }

    private static byte[] TimeReply(DateTime when)
    {
        var time = new byte[3];
        Dlt645ValueCodec.EncodeTime(when, time, 0);
        return ReadReply(Address, 0x04000102, time);
    }
}
