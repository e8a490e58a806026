using System;
using System.IO;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Values;
using EdgeMeter.Firmware.Buffer;
using EdgeMeter.Firmware.Provisioning;
using EdgeMeter.Firmware.Tests.Support;
using nanoFramework.TestFramework;

namespace EdgeMeter.Firmware.Tests.Buffer;

/// <summary>
/// The reading buffer on the device's runtime: readings go in, survive closing and reopening, come out in order
/// with exact values; acknowledged ones are not read again. Once in RAM, once on the LittleFS drive I: through the
/// firmware's <see cref="LittleFsFileSystem"/> (on a board only: nanoCLR on a PC has no I:, so those tests skip there).
/// </summary>
[TestClass]
public static class BufferRoundTripTests
{
    private const string TestDirectory = "I:\\edgemeter-tests\\buf";
    private static readonly DateTime Start = new DateTime(2025, 3, 1);

    [TestMethod]
    public static void Round_trip_in_memory()
    {
        var memory = new MemoryFlashFileSystem();
        RoundTrip(memory, memory);
    }

    // Gaps of 30 days and steps beyond an int are kept beside the series tables' 4-byte columns (SmallLongColumn):
    // here for every series at once, so the columns grow (Array.Copy) and clear (Array.Clear) on this runtime.
    [TestMethod]
    public static void Outages_of_a_month_and_counter_jumps_read_back_exactly()
    {
        var memory = new MemoryFlashFileSystem();
        var options = new BufferOptions { Budget = 64 * 1024, SegmentSize = 4096, FrameCapacity = 512, AllocationUnit = 512, MaxSeries = 16 };
        using var buffer = ReadingBuffer.Open(memory, options);
        for (var cycle = 0; cycle < 6; cycle++)
        {
            for (var point = 0; point < 8; point++)
            {
                var reading = new Reading(2, point, Start.AddDays(30 * cycle), new FixedDecimal(JumpingValue(cycle, point), 2), ReadingQuality.Good);
                buffer.Append(ref reading);
            }

            buffer.Commit();
        }

        var into = new Reading[60];
        Assert.AreEqual(48, buffer.Read(0, into));
        for (var i = 0; i < 48; i++)
        {
            var cycle = i / 8;
            var point = i % 8;
            Assert.AreEqual(point, into[i].Point);
            Assert.AreEqual(Start.AddDays(30 * cycle).Ticks, into[i].Time.Ticks);
            Assert.IsTrue(new FixedDecimal(JumpingValue(cycle, point), 2).Equals(into[i].Value));
        }
    }

    [TestMethod]
    public static void Round_trip_on_littlefs_drive_I()
    {
        RealHardware.Require("the LittleFS drive I:");
        Remove();
        try
        {
            // Two instances over the same directory: the second sees only what the first left on flash.
            RoundTrip(new LittleFsFileSystem(TestDirectory), new LittleFsFileSystem(TestDirectory));
        }
        finally
        {
            Remove();
        }
    }

    [TestMethod]
    public static void LittleFs_file_reads_back_writes_truncation_and_flush()
    {
        RealHardware.Require("the LittleFS drive I:");
        Remove();
        try
        {
            var fs = new LittleFsFileSystem(TestDirectory);
            using (var file = fs.Open("a.seg"))
            {
                Assert.AreEqual(0L, file.Length);
                file.Write(0, new byte[] { 1, 2, 3, 4, 5 }, 0, 5);
                file.Write(5, new byte[] { 9, 6, 7, 9 }, 1, 2);
                file.Write(0, new byte[] { 8 }, 0, 1);
                file.Flush();
                Assert.AreEqual(7L, file.Length);

                var read = new byte[10];
                Assert.AreEqual(7, file.Read(0, read, 0, 10));
                Assert.AreEqual((byte)8, read[0]);
                Assert.AreEqual((byte)7, read[6]);
                Assert.AreEqual(0, file.Read(7, read, 0, 10));

                file.Truncate(3);
                file.Flush();
                Assert.AreEqual(3L, file.Length);
                Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => file.Write(4, new byte[] { 1 }, 0, 1));
            }

            var names = fs.List();
            Assert.AreEqual(1, names.Length);
            Assert.AreEqual("a.seg", names[0]);
            fs.Delete("a.seg");
            fs.Delete("missing");
            Assert.AreEqual(0, fs.List().Length);
        }
        finally
        {
            Remove();
        }
    }

    private static void RoundTrip(IFlashFileSystem first, IFlashFileSystem reopened)
    {
        var options = new BufferOptions { Budget = 64 * 1024, SegmentSize = 4096, FrameCapacity = 512, AllocationUnit = 512, MaxSeries = 16 };
        using (var buffer = ReadingBuffer.Open(first, options))
        {
            for (var cycle = 0; cycle < 50; cycle++)
            {
                for (var point = 0; point < 4; point++)
                {
                    var reading = new Reading(1, point, Start.AddMinutes(cycle), new FixedDecimal(1000 + (cycle * 7 * (point + 1)), 2), ReadingQuality.Good);
                    buffer.Append(ref reading);
                }

                buffer.Commit();
            }

            buffer.Acknowledge(40);
            Assert.AreEqual(200L, buffer.CommittedSequence);
        }

        using var again = ReadingBuffer.Open(reopened, options);
        Assert.AreEqual(40L, again.AcknowledgedThrough);
        Assert.AreEqual(200L, again.LastSequence);
        var into = new Reading[300];
        var n = again.Read(0, into);
        Assert.AreEqual(160, n);
        Assert.AreEqual(41L, into[0].Sequence);
        Assert.AreEqual(1, into[0].Meter);
        Assert.AreEqual(0, into[0].Point);
        Assert.IsTrue(new FixedDecimal(1000 + (10 * 7), 2).Equals(into[0].Value));
        Assert.AreEqual(Start.AddMinutes(10).Ticks, into[0].Time.Ticks);
        Assert.AreEqual(200L, into[159].Sequence);
        Assert.IsTrue(new FixedDecimal(1000 + (49 * 7 * 4), 2).Equals(into[159].Value));
    }

    private static long JumpingValue(int cycle, int point) => (cycle % 2 == 0 ? 1000000000000L : -3000000000L) * (cycle + 1) + point;

    private static void Remove()
    {
        if (Directory.Exists(TestDirectory))
        {
            Directory.Delete(TestDirectory, true);
        }
    }
}
