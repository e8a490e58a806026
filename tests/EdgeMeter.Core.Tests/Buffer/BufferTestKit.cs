using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Buffer;

/// <summary>Reading factories and comparisons shared by the buffer tests.</summary>
internal static class BufferTestKit
{
    public static readonly DateTime Start = new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    public static Reading Make(int meter, int point, DateTime time, long mantissa, int scale, ReadingQuality quality = ReadingQuality.Good) =>
        new(meter, point, time, new FixedDecimal(mantissa, scale), quality);

    /// <summary>A millisecond-aligned time (what the buffer stores exactly).</summary>
    public static DateTime Ms(long milliseconds) => new(milliseconds * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    public static void AssertSame(Reading expected, Reading actual)
    {
        Assert.Equal(expected.Sequence, actual.Sequence);
        AssertSameContent(expected, actual);
    }

    public static void AssertSameContent(Reading expected, Reading actual)
    {
        Assert.Equal(expected.Meter, actual.Meter);
        Assert.Equal(expected.Point, actual.Point);
        Assert.Equal(expected.Time.Ticks / TimeSpan.TicksPerMillisecond, actual.Time.Ticks / TimeSpan.TicksPerMillisecond);
        Assert.Equal(DateTimeKind.Utc, actual.Time.Kind);
        Assert.Equal(expected.Value.Mantissa, actual.Value.Mantissa);
        Assert.Equal(expected.Value.Scale, actual.Value.Scale);
        Assert.Equal(expected.Quality, actual.Quality);
    }

    /// <summary>Everything readable from the cursor on, in order.</summary>
    public static List<Reading> ReadAll(ReadingBuffer buffer, int batch = 50)
    {
        var all = new List<Reading>();
        var into = new Reading[batch];
        var from = buffer.AcknowledgedThrough + 1;
        while (true)
        {
            var n = buffer.Read(from, into);
            if (n == 0)
            {
                return all;
            }

            for (var i = 0; i < n; i++)
            {
                all.Add(into[i]);
            }

            from = into[n - 1].Sequence + 1;
        }
    }

    /// <summary>Small sizes so that tests roll segments and hit the budget quickly.</summary>
    public static BufferOptions SmallOptions(int maxSeries = 64, int budget = 6 * 1024) => new()
    {
        Budget = budget,
        SegmentSize = 1024,
        FrameCapacity = 256,
        MaxSeries = maxSeries,
        AllocationUnit = 256,
    };
}
