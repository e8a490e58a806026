using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Values;
using static EdgeMeter.Core.Tests.Buffer.BufferTestKit;

namespace EdgeMeter.Core.Tests.Buffer;

public class ReadingBufferTests
{
    [Fact]
    public void Committed_readings_come_back_in_order_with_their_sequence_numbers()
    {
        var flash = new SimulatedFlash();
        using var buffer = ReadingBuffer.Open(flash, SmallOptions());
        var appended = AppendCycles(buffer, cycles: 30, points: 5);

        var read = ReadAll(buffer, batch: 7);

        Assert.Equal(150, read.Count);
        for (var i = 0; i < read.Count; i++)
        {
            AssertSame(appended[i], read[i]);
        }

        Assert.Equal(150, buffer.Depth);
        Assert.Equal(150, buffer.CommittedSequence);
    }

    [Fact]
    public void Uncommitted_readings_are_not_read_and_do_not_survive_a_reopen_on_littlefs()
    {
        var flash = new SimulatedFlash();
        var buffer = ReadingBuffer.Open(flash, SmallOptions());
        AppendCycles(buffer, cycles: 2, points: 4);
        var extra = Make(9, 9, Start, 1, 0);
        Assert.Equal(9, buffer.Append(ref extra));
        Assert.Equal(9, extra.Sequence);

        Assert.Equal(8, ReadAll(buffer).Count);
        Assert.Equal(9, buffer.Depth);

        flash.PowerLoss(PowerLossMode.DropUnflushed, new Random(1));
        using var reopened = ReadingBuffer.Open(flash, SmallOptions());
        Assert.Equal(8, reopened.LastSequence);
        Assert.Equal(8, ReadAll(reopened).Count);
    }

    [Fact]
    public void Reopening_keeps_readings_cursor_and_sequence_numbers()
    {
        var flash = new SimulatedFlash();
        List<Reading> appended;
        using (var buffer = ReadingBuffer.Open(flash, SmallOptions()))
        {
            appended = AppendCycles(buffer, cycles: 40, points: 6);
            buffer.Acknowledge(100);
        }

        using var reopened = ReadingBuffer.Open(flash, SmallOptions());
        Assert.Equal(100, reopened.AcknowledgedThrough);
        Assert.Equal(240, reopened.LastSequence);
        var read = ReadAll(reopened);
        Assert.Equal(140, read.Count);
        for (var i = 0; i < read.Count; i++)
        {
            AssertSame(appended[100 + i], read[i]);
        }

        var next = Make(1, 1, Start.AddDays(1), 5, 0);
        Assert.Equal(241, reopened.Append(ref next));
    }

    [Fact]
    public void Acknowledgement_is_cumulative_monotonic_and_limited_to_committed_readings()
    {
        var flash = new SimulatedFlash();
        using (var buffer = ReadingBuffer.Open(flash, SmallOptions()))
        {
            AppendCycles(buffer, cycles: 10, points: 5);
            buffer.Acknowledge(30);
            buffer.Acknowledge(12);
            Assert.Equal(30, buffer.AcknowledgedThrough);
            Assert.Equal(20, buffer.Depth);
            Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Acknowledge(51));

            var into = new Reading[5];
            Assert.Equal(5, buffer.Read(1, into));
            Assert.Equal(31, into[0].Sequence);
        }

        using var reopened = ReadingBuffer.Open(flash, SmallOptions());
        Assert.Equal(30, reopened.AcknowledgedThrough);
    }

    [Fact]
    public void Read_kept_returns_acknowledged_readings_still_in_flash_and_read_does_not()
    {
        using var buffer = ReadingBuffer.Open(new SimulatedFlash(), SmallOptions(budget: 64 * 1024));
        var appended = AppendCycles(buffer, cycles: 300, points: 4);
        Assert.True(buffer.SegmentCount > 2);
        buffer.Acknowledge(buffer.CommittedSequence);
        var into = new Reading[8];

        Assert.Equal(0, buffer.Read(buffer.CommittedSequence - 7, into));
        Assert.Equal(8, buffer.ReadKept(buffer.CommittedSequence - 7, into));
        for (var i = 0; i < 8; i++)
        {
            AssertSame(appended[appended.Count - 8 + i], into[i]);
        }

        // From before the oldest segment kept: from that segment's first reading, the deleted ones skipped.
        Assert.Equal(8, buffer.ReadKept(1, into));
        Assert.True(into[0].Sequence > 1);
        Assert.Equal(0, buffer.Corrupted);
    }

    [Fact]
    public void Reading_again_from_an_earlier_sequence_repeats_the_same_readings()
    {
        using var buffer = ReadingBuffer.Open(new SimulatedFlash(), SmallOptions());
        AppendCycles(buffer, cycles: 60, points: 5);
        var first = new Reading[40];
        var again = new Reading[40];

        Assert.Equal(40, buffer.Read(101, first));
        Assert.Equal(40, buffer.Read(141, again));
        Assert.Equal(40, buffer.Read(101, again));

        for (var i = 0; i < 40; i++)
        {
            AssertSame(first[i], again[i]);
        }
    }

    [Fact]
    public void Fully_acknowledged_segments_are_deleted()
    {
        var flash = new SimulatedFlash();
        using var buffer = ReadingBuffer.Open(flash, SmallOptions(budget: 64 * 1024));
        AppendCycles(buffer, cycles: 600, points: 4);
        Assert.True(buffer.SegmentCount > 2);

        buffer.Acknowledge(buffer.CommittedSequence);

        Assert.Equal(1, buffer.SegmentCount);
        Assert.Single(flash.List(), name => name.EndsWith(".seg", StringComparison.Ordinal));
        Assert.Equal(0, buffer.Depth);
        Assert.Equal(0, buffer.Dropped);
        Assert.Empty(ReadAll(buffer));
    }

    [Fact]
    public void When_full_it_drops_the_oldest_segment_counts_it_and_never_exceeds_the_budget()
    {
        var flash = new SimulatedFlash();
        var options = SmallOptions();
        var buffer = ReadingBuffer.Open(flash, options);
        List<Reading> appended = [];
        for (var cycle = 0; cycle < 400; cycle++)
        {
            appended.AddRange(AppendCycles(buffer, cycles: 1, points: 8, firstCycle: cycle));
            Assert.InRange(flash.AllocatedBytes(options.AllocationUnit), 0, options.Budget);
            Assert.InRange(buffer.BytesUsed, 0, options.Budget);
            if (cycle == 50)
            {
                buffer.Acknowledge(100);
            }
        }

        var read = ReadAll(buffer);
        Assert.True(buffer.Dropped > 0);
        Assert.Equal(3200, buffer.LastSequence);
        Assert.Equal(buffer.AcknowledgedThrough + 1, read[0].Sequence);
        Assert.Equal(3200, read[^1].Sequence);
        Assert.Equal(buffer.AcknowledgedThrough - 100, buffer.Dropped);
        foreach (var reading in read)
        {
            AssertSame(appended[(int)reading.Sequence - 1], reading);
        }

        var dropped = buffer.Dropped;
        buffer.Dispose();
        using var reopened = ReadingBuffer.Open(flash, options);
        Assert.Equal(dropped, reopened.Dropped);
        Assert.Equal(read.Count, ReadAll(reopened).Count);
    }

    [Fact]
    public void A_torn_last_frame_is_ignored_at_every_byte_and_writing_continues_after_it()
    {
        var flash = new SimulatedFlash();
        List<Reading> committed;
        string segment;
        int intactLength;
        using (var buffer = ReadingBuffer.Open(flash, SmallOptions()))
        {
            committed = AppendCycles(buffer, cycles: 3, points: 4);
            segment = SegmentFiles(flash).Single();
            intactLength = (int)flash.LengthOf(segment);
            AppendCycles(buffer, cycles: 1, points: 4, firstCycle: 3);
        }

        var full = flash.ContentOf(segment);
        Assert.True(full.Length > intactLength);
        for (var cut = intactLength; cut < full.Length; cut++)
        {
            foreach (var tail in new[] { (byte)0x00, (byte)0xFF, (byte)0x5A })
            {
                var damaged = full.Take(cut).Concat(Enumerable.Repeat(tail, full.Length - cut)).ToArray();
                var copy = flash.Clone();
                copy.SetContent(segment, damaged);

                using var reopened = ReadingBuffer.Open(copy, SmallOptions());
                var read = ReadAll(reopened);
                Assert.Equal(12, read.Count);
                Assert.Equal(intactLength, copy.LengthOf(segment));

                var next = Make(3, 3, Start.AddHours(5), 77, 1);
                Assert.Equal(13, reopened.Append(ref next));
                reopened.Commit();
                read = ReadAll(reopened);
                Assert.Equal(13, read.Count);
                for (var i = 0; i < 12; i++)
                {
                    AssertSame(committed[i], read[i]);
                }

                AssertSame(next, read[12]);
            }
        }
    }

    [Fact]
    public void A_torn_cursor_slot_falls_back_to_the_previous_cursor()
    {
        var flash = new SimulatedFlash();
        using (var buffer = ReadingBuffer.Open(flash, SmallOptions()))
        {
            AppendCycles(buffer, cycles: 10, points: 4);
            buffer.Acknowledge(10);
            buffer.Acknowledge(20);
        }

        // Generation 2 (the acknowledgement of 20) went to slot 0.
        var slot = flash.ContentOf("cursor.0");
        for (var cut = 0; cut < slot.Length; cut++)
        {
            var copy = flash.Clone();
            var torn = slot.ToArray();
            torn[cut] ^= 0x40;
            copy.SetContent("cursor.0", torn);
            using var reopened = ReadingBuffer.Open(copy, SmallOptions());
            Assert.Equal(10, reopened.AcknowledgedThrough);
            Assert.Equal(30, ReadAll(reopened).Count);
        }
    }

    [Fact]
    public void A_damaged_sealed_segment_is_skipped_and_counted_as_corrupted()
    {
        var flash = new SimulatedFlash();
        using (var buffer = ReadingBuffer.Open(flash, SmallOptions(budget: 64 * 1024)))
        {
            AppendCycles(buffer, cycles: 600, points: 4);
            Assert.True(buffer.SegmentCount > 2);
        }

        var second = SegmentFiles(flash)[1];
        var bytes = flash.ContentOf(second);
        bytes[bytes.Length / 2] ^= 0x01;
        flash.SetContent(second, bytes);

        using var reopened = ReadingBuffer.Open(flash, SmallOptions(budget: 64 * 1024));
        var read = ReadAll(reopened);
        Assert.True(reopened.Corrupted > 0);
        Assert.Equal(2400, read.Count + reopened.Corrupted);
        Assert.Equal(2400, read[^1].Sequence);
        Assert.True(read.Zip(read.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence));
    }

    [Fact]
    public void More_series_than_a_segment_holds_start_new_segments_and_still_round_trip()
    {
        var flash = new SimulatedFlash();
        using var buffer = ReadingBuffer.Open(flash, SmallOptions(maxSeries: 3, budget: 64 * 1024));
        var appended = AppendCycles(buffer, cycles: 20, points: 5);

        var read = ReadAll(buffer);

        Assert.Equal(appended.Count, read.Count);
        for (var i = 0; i < read.Count; i++)
        {
            AssertSame(appended[i], read[i]);
        }
    }

    [Fact]
    public void Recovery_reads_only_the_cursor_and_the_last_segment()
    {
        var flash = new SimulatedFlash();
        var options = SmallOptions(budget: 64 * 1024);
        using (var buffer = ReadingBuffer.Open(flash, options))
        {
            AppendCycles(buffer, cycles: 1500, points: 6);
            Assert.True(buffer.SegmentCount > 10);
        }

        flash.BytesRead = 0;
        using var reopened = ReadingBuffer.Open(flash, options);

        Assert.InRange(flash.BytesRead, 1, options.SegmentSize + (2 * 32));
        Assert.Equal(9000, reopened.LastSequence);
    }

    [Fact]
    public void Steady_state_append_commit_read_and_acknowledge_allocate_nothing()
    {
        var flash = new SimulatedFlash(trackUnflushed: false, initialCapacity: 128 * 1024);
        var options = new BufferOptions { Budget = 1024 * 1024, SegmentSize = 64 * 1024, AllocationUnit = 4096 };
        using var buffer = ReadingBuffer.Open(flash, options);
        var batch = new Reading[32];
        var reading = default(Reading);

        void Cycle(int cycle)
        {
            var time = Start.AddMinutes(cycle);
            for (var point = 0; point < 32; point++)
            {
                reading.Meter = point / 8;
                reading.Point = point % 8;
                reading.Time = time;
                reading.Value = new FixedDecimal(100_000 + (cycle * 83) + point, 2);
                reading.Quality = ReadingQuality.Good;
                buffer.Append(ref reading);
            }

            buffer.Commit();
            var n = buffer.Read(buffer.AcknowledgedThrough + 1, batch);
            buffer.Acknowledge(batch[n - 1].Sequence);
        }

        for (var cycle = 0; cycle < 5; cycle++)
        {
            Cycle(cycle);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var cycle = 5; cycle < 105; cycle++)
        {
            Cycle(cycle);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1, buffer.SegmentCount);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_poller_thread_and_an_uplink_thread_can_share_the_buffer()
    {
        var options = SmallOptions(budget: 256 * 1024);
        using var buffer = ReadingBuffer.Open(new SimulatedFlash(trackUnflushed: false), options);
        const int Cycles = 2000;
        var poller = new Thread(() =>
        {
            for (var cycle = 0; cycle < Cycles; cycle++)
            {
                for (var point = 0; point < 4; point++)
                {
                    var reading = Make(1, point, Start.AddMinutes(cycle), (cycle * 4) + point + 1, 0);
                    buffer.Append(ref reading);
                }

                buffer.Commit();
            }
        });
        poller.Start();

        var received = 0L;
        var batch = new Reading[37];
        while (received < Cycles * 4)
        {
            var n = buffer.Read(buffer.AcknowledgedThrough + 1, batch);
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(++received, batch[i].Sequence);
                Assert.Equal(batch[i].Sequence, batch[i].Value.Mantissa);
                Assert.Equal((int)((received - 1) % 4), batch[i].Point);
            }

            if (n > 0)
            {
                buffer.Acknowledge(batch[n - 1].Sequence);
            }
            else
            {
                Thread.Yield();
            }
        }

        poller.Join();
        Assert.Equal(0, buffer.Depth);
        Assert.Equal(0, buffer.Dropped);
    }

    internal static List<Reading> AppendCycles(ReadingBuffer buffer, int cycles, int points, int firstCycle = 0)
    {
        var appended = new List<Reading>();
        for (var cycle = firstCycle; cycle < firstCycle + cycles; cycle++)
        {
            var time = Start.AddMinutes(cycle);
            for (var point = 0; point < points; point++)
            {
                var reading = Make(point % 3, point, time, 1_000_000 + (cycle * (point + 1) * 37), point % 4);
                buffer.Append(ref reading);
                appended.Add(reading);
            }

            buffer.Commit();
        }

        return appended;
    }

    private static string[] SegmentFiles(SimulatedFlash flash) =>
        flash.List().Where(name => name.EndsWith(".seg", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
}
