using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
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
    public void Readings_are_stamped_with_their_slot_and_committed_when_the_cycle_ends()
    {
        var clock = new ManualClock(new DateTime(2026, 11, 26, 10, 15, 0, 800, DateTimeKind.Utc));
        using var buffer = ReadingBuffer.Open(new SimulatedFlash(), new BufferOptions());
        var recorder = new ReadingRecorder(buffer, clock);
        var meter = Meter(clock, 900);

        recorder.PollStarted(meter);
        recorder.Accept(meter, 0, ReadStatus.Ok, new FixedDecimal(22010, 2));
        recorder.Accept(meter, 1, ReadStatus.Timeout, default);
        recorder.PollCompleted(meter);
        Assert.Equal(0, buffer.CommittedSequence);
        recorder.CycleCompleted();
        Assert.Equal(1, buffer.CommittedSequence);

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
        var clock = new ManualClock(new DateTime(1970, 1, 1, 0, 3, 10, DateTimeKind.Utc));
        using var buffer = ReadingBuffer.Open(new SimulatedFlash(), new BufferOptions());
        var recorder = new ReadingRecorder(buffer, clock);
        var meter = Meter(clock, 60);

        recorder.PollStarted(meter);
        recorder.Accept(meter, 0, ReadStatus.Ok, new FixedDecimal(1, 0));
        recorder.PollCompleted(meter);
        recorder.CycleCompleted();

        var read = new Reading[1];
        buffer.Read(1, read);
        Assert.Equal(ReadingQuality.TimeUnsynced, read[0].Quality);
    }

    [Fact]
    public void A_value_read_while_the_meter_reports_a_fault_is_stored_with_the_meter_error_quality()
    {
        var clock = new ManualClock(new DateTime(1970, 1, 1, 0, 3, 10, DateTimeKind.Utc));
        using var buffer = ReadingBuffer.Open(new SimulatedFlash(), new BufferOptions());
        var recorder = new ReadingRecorder(buffer, clock);
        var meter = Meter(clock, 60);

        recorder.PollStarted(meter);
        recorder.AcceptAlarmed(meter, 0, new FixedDecimal(200, 2));
        recorder.PollCompleted(meter);
        recorder.CycleCompleted();

        var read = new Reading[1];
        buffer.Read(1, read);
        Assert.Equal(ReadingQuality.MeterError | ReadingQuality.TimeUnsynced, read[0].Quality);
        Assert.Equal(new FixedDecimal(200, 2), read[0].Value);
    }

    [Fact]
    public void A_long_cycle_commits_once_its_oldest_reading_waited_the_longest_delay()
    {
        var clock = new ManualClock(new DateTime(2026, 11, 26, 10, 15, 0, DateTimeKind.Utc));
        using var buffer = ReadingBuffer.Open(new SimulatedFlash(), new BufferOptions());
        var recorder = new ReadingRecorder(buffer, clock);
        var meter = Meter(clock, 60);

        // Each poll takes half the delay: every second poll's end finds the oldest reading waited long enough.
        for (var poll = 1; poll <= 5; poll++)
        {
            recorder.PollStarted(meter);
            recorder.Accept(meter, 0, ReadStatus.Ok, new FixedDecimal(poll, 0));
            clock.Advance(ReadingRecorder.MaxCommitDelayMilliseconds / 2);
            recorder.PollCompleted(meter);
            Assert.Equal(poll % 2 == 0 ? poll : poll - 1, buffer.CommittedSequence);
        }

        recorder.CycleCompleted();
        Assert.Equal(5, buffer.CommittedSequence);
    }

    [Fact]
    public void The_observer_hears_every_reading_once_after_its_commit_however_many_a_cycle_takes()
    {
        var clock = new ManualClock(new DateTime(2026, 11, 26, 10, 15, 0, DateTimeKind.Utc));
        using var buffer = ReadingBuffer.Open(new SimulatedFlash(), new BufferOptions());
        var observer = new CommitObserver(buffer);
        var recorder = new ReadingRecorder(buffer, clock, observer);
        var meter = Meter(clock, 60);
        const int total = (ReadingRecorder.MaxReadingsPerCommit * 2) + 10;

        for (var i = 0; i < total; i++)
        {
            if (i % 10 == 0)
            {
                recorder.PollStarted(meter);
            }

            recorder.Accept(meter, i % 10, ReadStatus.Ok, new FixedDecimal(i, 0));
            if (i % 10 == 9)
            {
                recorder.PollCompleted(meter);
            }
        }

        Assert.Equal(ReadingRecorder.MaxReadingsPerCommit * 2, buffer.CommittedSequence);
        recorder.CycleCompleted();

        Assert.Equal(Enumerable.Range(0, total).Select(i => new FixedDecimal(i, 0)), observer.Values);
        Assert.Equal([ReadingRecorder.MaxReadingsPerCommit, ReadingRecorder.MaxReadingsPerCommit, 10], observer.Batches);
    }

    private sealed class CommitObserver(ReadingBuffer buffer) : IReadingObserver
    {
        public List<FixedDecimal> Values { get; } = [];

        public List<int> Batches { get; } = [];

        public void Committed(Reading[] readings, int count)
        {
            Assert.Equal(Values.Count + count, buffer.CommittedSequence);
            Values.AddRange(readings.Take(count).Select(r => r.Value));
            Batches.Add(count);
        }
    }

    [Fact]
    public void A_point_with_a_ratio_is_stored_as_its_exact_primary_value_and_an_overflow_as_a_failed_read()
    {
        var clock = new ManualClock(new DateTime(2026, 11, 26, 10, 15, 0, DateTimeKind.Utc));
        using var buffer = ReadingBuffer.Open(new SimulatedFlash(), new BufferOptions());
        var ratios = new PointRatios(MetersWithRatios(meterIndex: 7, new FixedDecimal(2005, 1), PointSettings.NoRatio));
        var recorder = new ReadingRecorder(buffer, clock, null, ratios);
        var meter = Meter(clock, 60);

        recorder.PollStarted(meter);
        recorder.Accept(meter, 0, ReadStatus.Ok, new FixedDecimal(12345, 2));          // 123.45 x 200.5
        recorder.Accept(meter, 1, ReadStatus.Ok, new FixedDecimal(2201, 1));           // ratio 1: as read
        recorder.Accept(meter, 0, ReadStatus.Ok, new FixedDecimal(long.MaxValue / 2, 0));
        recorder.PollCompleted(meter);
        recorder.CycleCompleted();

        var read = new Reading[4];
        Assert.Equal(2, buffer.Read(1, read));
        Assert.Equal("24751.725", read[0].Value.ToString());
        Assert.Equal("220.1", read[1].Value.ToString());
        Assert.Equal(1, recorder.Failed);
    }

    private static MeterSettings[] MetersWithRatios(int meterIndex, params FixedDecimal[] ratios)
    {
        var meters = new MeterSettings[meterIndex + 1];
        for (var m = 0; m < meters.Length; m++)
        {
            meters[m] = new MeterSettings { Points = [new PointSettings()] };
        }

        meters[meterIndex].Points = ratios.Select(r => new PointSettings { Ratio = r }).ToArray();
        return meters;
    }

    private static Dlt645MeterSession Meter(ManualClock clock, int pollSeconds)
    {
        var link = new ScriptedLink(clock);
        var address = Dlt645Address.Parse("123456789012");
        link.Responder = new FakeDlt645Meter(address).Respond;
        return new Dlt645MeterSession(7, "m7", new Dlt645Master(link, clock), address, Dlt645Version.V2007, [0x02010100, 0x02010200], pollSeconds, 500, 0, clock);
    }
}
