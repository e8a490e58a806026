using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Values;
using EdgeMeter.Pc.Buffer;

namespace EdgeMeter.Host.Tests.Storage;

public sealed class DiskFlashFileSystemTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgemeter-flash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Files_are_created_written_read_truncated_listed_and_deleted()
    {
        var fs = new DiskFlashFileSystem(_directory);
        using (var file = fs.Open("a.seg"))
        {
            Assert.Equal(0, file.Length);
            file.Write(0, [1, 2, 3, 4, 5], 0, 5);
            file.Write(5, [9, 6, 7, 9], 1, 2);
            file.Write(0, [8], 0, 1);
            file.Flush();
            Assert.Equal(7, file.Length);

            var read = new byte[10];
            Assert.Equal(7, file.Read(0, read, 0, 10));
            Assert.Equal(new byte[] { 8, 2, 3, 4, 5, 6, 7 }, read[..7]);
            Assert.Equal(2, file.Read(5, read, 3, 7));
            Assert.Equal(new byte[] { 6, 7 }, read[3..5]);
            Assert.Equal(0, file.Read(7, read, 0, 10));

            file.Truncate(3);
            file.Flush();
            Assert.Equal(3, file.Length);
            Assert.Throws<ArgumentOutOfRangeException>(() => file.Write(4, [1], 0, 1));
        }

        Assert.Equal(new byte[] { 8, 2, 3 }, File.ReadAllBytes(Path.Combine(_directory, "a.seg")));
        using (fs.Open("b"))
        {
        }

        Assert.Equal(["a.seg", "b"], fs.List().Order(StringComparer.Ordinal));
        fs.Delete("a.seg");
        fs.Delete("missing");
        Assert.Equal(["b"], fs.List());
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("sub/file")]
    [InlineData("sub\\file")]
    [InlineData("c:file")]
    public void Names_with_a_directory_part_are_refused(string name)
    {
        var fs = new DiskFlashFileSystem(_directory);
        Assert.Throws<ArgumentException>(() => fs.Open(name));
    }

    [Fact]
    public void A_reading_buffer_on_disk_survives_reopening_and_cuts_a_torn_tail()
    {
        var options = new BufferOptions { Budget = 64 * 1024, SegmentSize = 4096, FrameCapacity = 512, AllocationUnit = 512 };
        var start = new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        using (var buffer = ReadingBuffer.Open(new DiskFlashFileSystem(_directory), options))
        {
            for (var cycle = 0; cycle < 1000; cycle++)
            {
                for (var point = 0; point < 4; point++)
                {
                    var reading = new Reading(1, point, start.AddMinutes(cycle), new FixedDecimal(1000 + (cycle * 7 * (point + 1)), 2), ReadingQuality.Good);
                    buffer.Append(ref reading);
                }

                buffer.Commit();
            }

            buffer.Acknowledge(400);
            Assert.True(buffer.SegmentCount > 1);
        }

        // A crash mid-write on a PC can leave junk after the last good frame.
        var last = Directory.GetFiles(_directory, "*.seg").Order(StringComparer.Ordinal).Last();
        var intact = new FileInfo(last).Length;
        File.AppendAllText(last, "\0\0\0torn");

        using var reopened = ReadingBuffer.Open(new DiskFlashFileSystem(_directory), options);
        Assert.Equal(intact, new FileInfo(last).Length);
        Assert.Equal(400, reopened.AcknowledgedThrough);
        Assert.Equal(4000, reopened.LastSequence);
        var into = new Reading[5000];
        var n = reopened.Read(0, into);
        Assert.Equal(3600, n);
        Assert.Equal(401, into[0].Sequence);
        Assert.Equal(new FixedDecimal(1000 + (100 * 7 * 1), 2), into[0].Value);
        Assert.Equal(start.AddMinutes(100), into[0].Time);
        Assert.Equal(start.AddMinutes(999), into[3599].Time);
        Assert.Equal(4000, into[3599].Sequence);
    }
}
