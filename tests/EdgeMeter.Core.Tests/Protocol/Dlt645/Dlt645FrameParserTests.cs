using EdgeMeter.Core.Protocol.Dlt645;
using static EdgeMeter.Core.Tests.Protocol.Dlt645.Dlt645TestFrames;

namespace EdgeMeter.Core.Tests.Protocol.Dlt645;

public class Dlt645FrameParserTests
{
    private static readonly byte[] Voltage = WithoutPreamble(Hex(PhaseAVoltageReply));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(11)]
    public void Skips_any_number_of_FE_preamble_bytes(int preambleLength)
    {
        var input = Enumerable.Repeat((byte)0xFE, preambleLength).Concat(Voltage).ToArray();

        var frames = FeedAll(new Dlt645FrameParser(), input);

        Assert.Single(frames);
        Assert.Equal(Voltage, frames[0]);
    }

    [Fact]
    public void Reports_a_frame_exactly_when_its_last_byte_arrives()
    {
        var parser = new Dlt645FrameParser();
        for (var i = 0; i < Voltage.Length - 1; i++)
        {
            Assert.False(parser.Feed(Voltage[i]));
        }

        Assert.True(parser.Feed(Voltage[^1]));
    }

    [Fact]
    public void Resynchronises_after_noise_and_broken_frames()
    {
        var noise = Hex("00 FF 68 68 16 68 12 90 16 55 68 12 90 78 56 34 12 68 91 06 33"); // truncated reply
        var broken = Voltage.ToArray();
        broken[^1] = 0x17; // end byte wrong
        var input = noise.Concat(broken).Concat(Hex("68 68 68")).Concat(Voltage).Concat(Hex("16 68")).ToArray();

        var frames = FeedAll(new Dlt645FrameParser(), input);

        Assert.Single(frames);
        Assert.Equal(Voltage, frames[0]);
    }

    [Fact]
    public void Finds_a_frame_hidden_behind_a_false_start_with_a_long_length()
    {
        // 68 + six noise bytes makes the real frame's 68 look like the second start byte of a false frame whose
        // L (the real A1, 0x90 = 144 bytes) points far beyond the real frame.
        var input = Hex("68 01 02 03 04 05 06").Concat(Voltage).ToArray();
        var parser = new Dlt645FrameParser();

        for (var i = 0; i < input.Length - 1; i++)
        {
            Assert.False(parser.Feed(input[i]));
        }

        Assert.True(parser.Feed(input[^1]));
        Assert.Equal(Voltage, Reencode(parser.Frame));
    }

    [Fact]
    public void Uses_L_when_the_checksum_is_0x16()
    {
        var frame = FindFrame(f => f[^2] == 0x16);

        var frames = FeedAll(new Dlt645FrameParser(), frame);

        Assert.Equal(0x16, frame[^2]);
        Assert.Single(frames);
        Assert.Equal(frame, frames[0]);
    }

    [Fact]
    public void Uses_L_when_data_bytes_are_0x16_or_0x68()
    {
        // 0xE3 + 0x33 = 0x16 and 0x35 + 0x33 = 0x68 on the wire.
        var data = new byte[] { 0xE3, 0x35, 0xE3, 0xE3, 0x35, 0x00 };
        var frame = Build(b => Dlt645FrameEncoder.Encode(b, 0, 0, Address, 0x91, data, 0, data.Length));
        Assert.Contains((byte)0x16, frame.AsSpan(10, 6).ToArray());

        var parser = new Dlt645FrameParser();
        var frames = FeedAll(parser, frame);

        Assert.Single(frames);
        Assert.Equal(data, parser.Frame.Data.AsSpan(0, parser.Frame.DataLength).ToArray());
    }

    [Fact]
    public void Handles_empty_and_longest_data()
    {
        var longest = Enumerable.Range(0, 255).Select(i => (byte)i).ToArray();
        var empty = Build(b => Dlt645FrameEncoder.Encode(b, 0, 2, Address, 0x93, null, 0, 0));
        var full = Build(b => Dlt645FrameEncoder.Encode(b, 0, 2, Address, 0x91, longest, 0, longest.Length));
        var parser = new Dlt645FrameParser();

        var frames = FeedAll(parser, empty.Concat(full).ToArray());

        Assert.Equal(2, frames.Count);
        Assert.Equal(255, parser.Frame.DataLength);
        Assert.Equal(longest, parser.Frame.Data);
    }

    [Fact]
    public void Drops_a_frame_with_a_wrong_checksum_and_counts_it()
    {
        var corrupted = Voltage.ToArray();
        corrupted[^2]++;
        var parser = new Dlt645FrameParser();

        var frames = FeedAll(parser, corrupted.Concat(Voltage).ToArray());

        Assert.Single(frames);
        Assert.Equal(1, parser.ChecksumErrors);
    }

    [Fact]
    public void Drops_a_frame_whose_data_was_corrupted()
    {
        var corrupted = Voltage.ToArray();
        corrupted[15] ^= 0x04;
        var parser = new Dlt645FrameParser();

        Assert.Empty(FeedAll(parser, corrupted));
        Assert.Equal(1, parser.ChecksumErrors);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void Finds_back_to_back_frames_whatever_the_chunking(int chunkSeed)
    {
        var random = new Random(chunkSeed);
        var energy = WithoutPreamble(Hex(ForwardEnergyReply));
        var input = Hex(PhaseAVoltageReply).Concat(energy).Concat(Hex(NoRequestedDataReply)).Concat(Voltage).ToArray();
        var parser = new Dlt645FrameParser();
        var frames = new List<byte[]>();

        var position = 0;
        while (position < input.Length)
        {
            var chunk = input.AsSpan(position, Math.Min(random.Next(1, 9), input.Length - position)).ToArray();
            frames.AddRange(FeedAll(parser, chunk));
            position += chunk.Length;
        }

        Assert.Equal(4, frames.Count);
        Assert.Equal(Voltage, frames[0]);
        Assert.Equal(energy, frames[1]);
        Assert.Equal(Voltage, frames[3]);
    }

    [Fact]
    public void Reset_forgets_a_partial_frame()
    {
        var parser = new Dlt645FrameParser();
        FeedAll(parser, Voltage.AsSpan(0, 12).ToArray());
        parser.Reset();

        Assert.Empty(FeedAll(parser, Voltage.AsSpan(12).ToArray()));
        Assert.Single(FeedAll(parser, Voltage));
    }

    [Fact]
    public void Survives_random_and_mutated_input_without_false_frames()
    {
        var random = new Random(20070645);
        var parser = new Dlt645FrameParser();
        var buffer = new byte[Dlt645FrameEncoder.MaxFrameLength];
        var candidatesFound = 0;
        var candidates = 0;
        const int Inputs = 100_000;

        for (var n = 0; n < Inputs; n++)
        {
            parser.Reset();
            var frame = RandomFrame(random, buffer);
            var errorsBefore = parser.ChecksumErrors;
            byte[] input;
            switch (n % 4)
            {
                case 0:
                    input = Noise(random, random.Next(0, 80));
                    break;
                case 1:
                    input = Mutate(random, frame);
                    break;
                case 2:
                    var badChecksum = frame.ToArray();
                    badChecksum[^2] = (byte)(badChecksum[^2] + random.Next(1, 256));
                    input = Noise(random, random.Next(0, 12)).Concat(badChecksum).ToArray();
                    break;
                default:
                    input = Noise(random, random.Next(0, 40)).Concat(frame).Concat(Noise(random, random.Next(0, 8))).ToArray();
                    break;
            }

            var frames = FeedAll(parser, input);

            // Every frame reported is present verbatim in the input, so its checksum really was valid.
            foreach (var found in frames)
            {
                Assert.True(input.AsSpan().IndexOf(found) >= 0, $"false frame {ToHex(found)} in {ToHex(input)}");
            }

            if (n % 4 == 2)
            {
                Assert.DoesNotContain(frames, f => f.AsSpan().SequenceEqual(frame));
                Assert.Empty(frames);
            }

            if (n % 4 == 3)
            {
                candidates++;
                var found = frames.Any(f => f.AsSpan().SequenceEqual(frame));
                if (found)
                {
                    candidatesFound++;
                }
                else
                {
                    // Only a structurally complete bad-checksum frame in the noise may swallow a real one.
                    Assert.True(parser.ChecksumErrors > errorsBefore || frames.Count > 0, ToHex(input));
                }
            }
        }

        Assert.True(candidatesFound >= candidates * 99 / 100, $"{candidatesFound} of {candidates} found");
    }

    private static byte[] RandomFrame(Random random, byte[] buffer)
    {
        var data = new byte[random.Next(0, random.Next(2) == 0 ? 12 : 256)];
        random.NextBytes(data);
        var address = Dlt645Address.Parse(random.NextInt64(0, 1_000_000_000_000).ToString());
        var length = Dlt645FrameEncoder.Encode(buffer, 0, 0, address, (byte)random.Next(256), data, 0, data.Length);
        return buffer.AsSpan(0, length).ToArray();
    }

    // Noise rich in the bytes that matter to a parser.
    private static byte[] Noise(Random random, int length)
    {
        var special = new byte[] { 0x68, 0x16, 0xFE, 0x00, 0xFF };
        var noise = new byte[length];
        for (var i = 0; i < length; i++)
        {
            noise[i] = random.Next(3) == 0 ? special[random.Next(special.Length)] : (byte)random.Next(256);
        }

        return noise;
    }

    private static byte[] Mutate(Random random, byte[] frame)
    {
        var bytes = frame.ToList();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at); // truncated
                    break;
            }
        }

        return bytes.ToArray();
    }

    private static byte[] FindFrame(Func<byte[], bool> predicate)
    {
        for (var value = 0; value < 256; value++)
        {
            var data = new byte[] { 0x00, 0x01, 0x01, 0x02, (byte)value, 0x22 };
            var frame = Build(b => Dlt645FrameEncoder.Encode(b, 0, 0, Address, 0x91, data, 0, data.Length));
            if (predicate(frame))
            {
                return frame;
            }
        }

        throw new InvalidOperationException("no such frame");
    }
}
