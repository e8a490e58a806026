using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Tests.Buffer;
using EdgeMeter.Core.Tests.Fakes;
using EdgeMeter.Core.Tests.Protocol.Dlt645;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Polling;

public class ReadingRecorderTests
{
    [Fact]
    public void Readings_are_stamped_with_their_slot_and_committed_per_poll()
    {
        var clock = new FakeClock(new DateTime(2026, 11, 26, 10, 15, 0, 800, DateTimeKind.Utc));
        using var buffer = ReadingBuffer.Open(new SimulatedFlash(), new BufferOptions());
        var recorder = new ReadingRecorder(buffer, clock);
        var meter = Meter(clock, 900);

        recorder.PollStarted(meter);
        recorder.Accept(meter, 0, ReadStatus.Ok, new FixedDecimal(22010, 2));
        recorder.Accept(meter, 1, ReadStatus.Timeout, default);
        Assert.Equal(0, buffer.CommittedSequence);
        recorder.PollCompleted(meter);

        var read = new Reading[4];
        Assert.Equal(1, buffer.Read(1, read));
        Assert.Equal(new DateTime(2026, 11, 26, 10, 15, 0, DateTimeKind.Utc), read[0].Time);
        Assert.Equal(new FixedDecimal(22010, 2), read[0].Value);
        Assert.Equal(7, read[0].Meter);
        Assert.Equal(ReadingQuality.Good, read[0].Quality);
        Assert.Equal(1, recorder.Taken);
        Assert.Equal(1, recorder.Failed);
    }

    [Fact]
    public void Readings_taken_before_time_sync_are_flagged()
    {
        var clock = new FakeClock(new DateTime(1970, 1, 1, 0, 3, 10, DateTimeKind.Utc));
        using var buffer = ReadingBuffer.Open(new SimulatedFlash(), new BufferOptions());
        var recorder = new ReadingRecorder(buffer, clock);
        var meter = Meter(clock, 60);

        recorder.PollStarted(meter);
        recorder.Accept(meter, 0, ReadStatus.Ok, new FixedDecimal(1, 0));
        recorder.PollCompleted(meter);

        var read = new Reading[1];
        buffer.Read(1, read);
        Assert.Equal(ReadingQuality.TimeUnsynced, read[0].Quality);
    }

    private static Dlt645MeterSession Meter(FakeClock clock, int pollSeconds)
    {
        var link = new ScriptedLink(clock);
        var address = Dlt645Address.Parse("123456789012");
        link.Responder = new FakeDlt645Meter(address).Respond;
        return new Dlt645MeterSession(7, "m7", new Dlt645Master(link, clock), address, Dlt645Version.V2007, [0x02010100, 0x02010200], pollSeconds, 500, 0, clock);
    }
}
