using EdgeMeter.Core.Buffer;
using static EdgeMeter.Core.Tests.Buffer.BufferTestKit;

namespace EdgeMeter.Core.Tests.Buffer;

public class ReadingCodecTests
{
    private static readonly long MaxMs = DateTime.MaxValue.Ticks / TimeSpan.TicksPerMillisecond;

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(-1L)]
    [InlineData(63L)]
    [InlineData(-64L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Zigzag_varints_round_trip(long value)
    {
        var buffer = new byte[ByteCoding.MaxVarIntLength];
        var end = ByteCoding.WriteVarInt(buffer, 0, ByteCoding.ZigZag(value));
        var position = 0;
        Assert.True(ByteCoding.TryReadVarInt(buffer, ref position, end, out var raw));
        Assert.Equal(end, position);
        Assert.Equal(value, ByteCoding.UnZigZag(raw));
        Assert.True(end <= ByteCoding.MaxVarIntLength);
        Assert.Equal(value is >= -64 and <= 63 ? 1 : end, end);
    }

    [Fact]
    public void Extreme_values_round_trip()
    {
        var readings = new[]
        {
            Make(0, 0, Ms(0), long.MinValue, 0),
            Make(0, 0, Ms(MaxMs), long.MaxValue, 18, (ReadingQuality)0xFF),
            Make(65535, 65535, Ms(MaxMs), long.MinValue, 18),
            Make(65535, 65535, Ms(0), long.MaxValue, 0),
            Make(0, 0, Ms(1), -1, 3, ReadingQuality.MeterError | ReadingQuality.Estimated),
            Make(0, 0, Ms(MaxMs - 1), 0, 0),
            Make(65535, 0, Start, -123456789, 4, ReadingQuality.TimeUnsynced),
            Make(65535, 0, Start, long.MaxValue, 4),
            Make(65535, 0, Start, long.MinValue, 4),
        };

        AssertRoundTrip(readings, 64);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_streams_with_negatives_gaps_and_jumps_round_trip(int seed)
    {
        var random = new Random(seed);
        var series = Enumerable.Range(0, 12).Select(_ => (meter: PickIndex(random), point: PickIndex(random))).ToArray();
        var readings = new Reading[3000];
        var time = Start.Ticks / TimeSpan.TicksPerMillisecond;
        for (var i = 0; i < readings.Length; i++)
        {
            time = NextTime(random, time);
            var (meter, point) = series[random.Next(series.Length)];
            var quality = random.Next(10) == 0 ? (ReadingQuality)random.Next(256) : ReadingQuality.Good;
            readings[i] = Make(meter, point, Ms(time), NextMantissa(random), random.Next(10) == 0 ? random.Next(19) : 2, quality);
        }

        AssertRoundTrip(readings, 12);
    }

    // Segments written by earlier firmware stay in flash across an update until acknowledged: what the codec
    // predicts (and so the bytes it writes) must not change. The hash is of this stream as encoded at 372e21c.
    [Fact]
    public void Encoding_is_byte_for_byte_what_segments_already_in_flash_hold()
    {
        var random = new Random(7);
        var series = Enumerable.Range(0, 12).Select(_ => (meter: PickIndex(random), point: PickIndex(random))).ToArray();
        var table = new SeriesTable(12);
        var buffer = new byte[3000 * ReadingCodec.MaxEncodedLength];
        var position = 0;
        var time = Start.Ticks / TimeSpan.TicksPerMillisecond;
        for (var i = 0; i < 3000; i++)
        {
            time = NextTime(random, time);
            var (meter, point) = series[random.Next(series.Length)];
            var reading = Make(meter, point, Ms(time), NextMantissa(random), random.Next(10) == 0 ? random.Next(19) : 2, ReadingQuality.Good);
            position = ReadingCodec.Encode(ref reading, table, buffer, position);
        }

        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(buffer.AsSpan(0, position)));
        Assert.Equal("32010:BB9C4BE5B19E7DB9E0DD2C6497F083E326A8513EC6D1A27662ECC1A39456099C", $"{position}:{hash}");
    }

    [Fact]
    public void Steady_series_need_two_bytes_or_less_per_reading()
    {
        var table = new SeriesTable(8);
        var buffer = new byte[64 * 1024];
        var position = 0;
        var energy = 1234567L;
        var lengths = new List<int>();
        for (var minute = 0; minute < 500; minute++)
        {
            var time = Start.AddMinutes(minute);
            energy += 80 + (minute % 7);
            foreach (var reading in new[] { Make(1, 0, time, energy, 2), Make(1, 1, time, 2200 + (minute % 5), 1) })
            {
                var copy = reading;
                var end = ReadingCodec.Encode(ref copy, table, buffer, position);
                lengths.Add(end - position);
                position = end;
            }
        }

        Assert.True(lengths.Skip(4).All(length => length <= 2), string.Join(",", lengths.Skip(4).Where(l => l > 2)));
    }

    [Fact]
    public void A_new_series_beyond_capacity_is_refused_without_writing()
    {
        var table = new SeriesTable(2);
        var buffer = new byte[256];
        var a = Make(1, 1, Start, 5, 0);
        var b = Make(1, 2, Start, 5, 0);
        var c = Make(1, 3, Start, 5, 0);
        var position = ReadingCodec.Encode(ref a, table, buffer, 0);
        position = ReadingCodec.Encode(ref b, table, buffer, position);
        buffer[position] = 0xAA;
        Assert.Equal(-1, ReadingCodec.Encode(ref c, table, buffer, position));
        Assert.Equal(0xAA, buffer[position]);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Truncated_readings_fail_to_decode()
    {
        var random = new Random(7);
        var writer = new SeriesTable(32);
        var buffer = new byte[150 * ReadingCodec.MaxEncodedLength];
        var starts = new List<int> { 0 };
        var time = Start.Ticks / TimeSpan.TicksPerMillisecond;
        for (var i = 0; i < 150; i++)
        {
            time = NextTime(random, time);
            var reading = Make(random.Next(6), random.Next(3), Ms(time), NextMantissa(random), random.Next(19), (ReadingQuality)random.Next(8));
            starts.Add(ReadingCodec.Encode(ref reading, writer, buffer, starts[^1]));
        }

        for (var i = 0; i < 150; i++)
        {
            for (var cut = starts[i]; cut < starts[i + 1]; cut++)
            {
                var reader = new SeriesTable(32);
                var position = 0;
                var decoded = default(Reading);
                for (var before = 0; before < i; before++)
                {
                    Assert.True(ReadingCodec.TryDecode(buffer, ref position, starts[i], reader, ref decoded));
                }

                Assert.False(ReadingCodec.TryDecode(buffer, ref position, cut, reader, ref decoded));
            }
        }
    }

    [Fact]
    public void Decoding_arbitrary_bytes_never_throws()
    {
        var random = new Random(11);
        var bytes = new byte[200];
        var decodedAny = 0;
        for (var round = 0; round < 5000; round++)
        {
            random.NextBytes(bytes);
            var table = new SeriesTable(4);
            var position = 0;
            var reading = default(Reading);
            while (ReadingCodec.TryDecode(bytes, ref position, bytes.Length, table, ref reading))
            {
                decodedAny++;
            }
        }

        Assert.True(decodedAny > 0);
    }

    private static void AssertRoundTrip(Reading[] readings, int capacity)
    {
        var writer = new SeriesTable(capacity);
        var buffer = new byte[readings.Length * ReadingCodec.MaxEncodedLength];
        var position = 0;
        foreach (var original in readings)
        {
            var reading = original;
            var end = ReadingCodec.Encode(ref reading, writer, buffer, position);
            Assert.InRange(end - position, 1, ReadingCodec.MaxEncodedLength - 3);
            position = end;
        }

        var reader = new SeriesTable(capacity);
        var at = 0;
        foreach (var original in readings)
        {
            var decoded = default(Reading);
            Assert.True(ReadingCodec.TryDecode(buffer, ref at, position, reader, ref decoded));
            AssertSameContent(original, decoded);
        }

        Assert.Equal(position, at);
    }

    private static int PickIndex(Random random) => random.Next(4) switch
    {
        0 => 0,
        1 => 65535,
        _ => random.Next(65536),
    };

    private static long NextTime(Random random, long time) => Math.Clamp(RawNextTime(random, time), 0, MaxMs);

    private static long RawNextTime(Random random, long time) => random.Next(12) switch
    {
        0 => 0,                                                // 1970-style unsynced clock, far in the past
        1 => MaxMs - random.Next(1000),                        // the end of time
        2 => time - random.Next(1, 10_000_000),                // backwards jump
        3 => time + (random.NextInt64(1, 400) * 86_400_000L),  // outage of days
        4 => time,                                             // same instant
        5 => time + random.Next(1, 5),                         // a few ms later
        _ => time + 60_000 + random.Next(-500, 500),
    };

    private static long NextMantissa(Random random) => random.Next(10) switch
    {
        0 => long.MinValue,
        1 => long.MaxValue,
        2 => 0,
        3 => -random.NextInt64(),
        4 => random.NextInt64(),
        5 => -random.Next(1000),
        _ => 1_000_000 + random.Next(-5000, 5000),
    };
}
