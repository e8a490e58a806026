using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Text;
using EdgeMeter.Core.Values;

namespace EdgeMeter.LoadTest.Ingest;

/// <summary>
/// The load: N gateways, each with its own key, and their "up" packets signed ahead of time (6 readings, about
/// 1 KB each, within the contract's 1024-byte limit), so the publishers spend nothing on signing during the run. Sequence
/// numbers and reading numbers continue from <paramref name="firstSequence"/>, so a receiver that keeps its
/// replay state accepts every run.
/// </summary>
public sealed class SignedPackets
{
    public const int ReadingsPerPacket = 6;

    public SignedPackets(int gateways, int packetsPerGateway, long firstSequence)
    {
        Gateways = [.. Enumerable.Range(1, gateways).Select(GatewayId)];
        FirstSequence = firstSequence;
        Packets = new byte[gateways][][];
        var now = DateTime.UtcNow;
        var time = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        var readings = Enumerable.Range(0, ReadingsPerPacket).Select(_ => new PacketReading()).ToArray();
        for (var g = 0; g < gateways; g++)
        {
            var signer = new PacketSigner(Gateways[g], 1, KeyOf(Gateways[g]), new DotNetPacketMac());
            Packets[g] = new byte[packetsPerGateway][];
            for (var i = 0; i < packetsPerGateway; i++)
            {
                var sequence = firstSequence + i;
                for (var r = 0; r < readings.Length; r++)
                {
                    var reading = readings[r];
                    reading.Sequence = (sequence * ReadingsPerPacket) + r;
                    reading.MeterId = "m-" + (r + 1).ToString(CultureInfo.InvariantCulture);
                    reading.PointId = "energy";
                    reading.TimeUtc = time;
                    reading.Value = new FixedDecimal(123_456_789 + sequence, 2);
                    reading.Unit = "kWh";
                }

                if (signer.SignReadings(sequence, now, readings, 0, readings.Length) != readings.Length)
                {
                    throw new InvalidOperationException("the readings do not fit a 1 KB packet");
                }

                Packets[g][i] = signer.Packet.AsSpan(0, signer.Length).ToArray();
            }
        }
    }

    public string[] Gateways { get; }

    public long FirstSequence { get; }

    /// <summary>Per gateway, its packets in sequence order.</summary>
    public byte[][][] Packets { get; }

    public int Count => Packets.Sum(p => p.Length);

    public int PacketBytes => Packets[0][0].Length;

    public static string GatewayId(int index) => "gw-load-" + index.ToString("0000", CultureInfo.InvariantCulture);

    /// <summary>Each gateway's own 32-byte key, derived from its id (a load test, not a key store).</summary>
    public static byte[] KeyOf(string gatewayId) => SHA256.HashData(Encoding.ASCII.GetBytes("edgemeter-load:" + gatewayId));

    public static int GatewayIndexOf(string topic)
    {
        // edgemeter/v1/gw-load-0001/up
        var end = topic.LastIndexOf('/');
        return int.Parse(topic.AsSpan(end - 4, 4), CultureInfo.InvariantCulture) - 1;
    }

    /// <summary>gw-load-0001 is gateway 0.</summary>
    public static int GatewayIndexOfId(string gatewayId) => int.Parse(gatewayId.AsSpan(gatewayId.Length - 4), CultureInfo.InvariantCulture) - 1;

    /// <summary>The payload's "seq", read from the first bytes of its base64url segment (no full decode, no allocation).</summary>
    public static long SequenceOf(ReadOnlySpan<byte> packet)
    {
        var dot = packet.IndexOf((byte)'.');
        var segment = packet[(dot + 1)..];
        Span<byte> prefix = stackalloc byte[96];
        System.Buffers.Text.Base64Url.DecodeFromUtf8(segment[..Math.Min(128, segment.Length - (segment.Length % 4))], prefix, out _, out var written, isFinalBlock: false);
        var text = prefix[..written];
        var start = text.IndexOf("\"seq\":"u8) + 6;
        long sequence = 0;
        for (var i = start; i < text.Length && text[i] >= '0' && text[i] <= '9'; i++)
        {
            sequence = (sequence * 10) + (text[i] - '0');
        }

        return sequence;
    }
}
