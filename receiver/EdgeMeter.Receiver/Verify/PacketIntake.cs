using System.Text;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Uplink;

namespace EdgeMeter.Receiver.Verify;

/// <summary>What the intake made of one received message: a verified packet, or the error and reason.</summary>
public readonly record struct IntakeResult(IngestedPacket? Packet, string Error, string Reason)
{
    public bool IsValid => Packet is not null;

    public static IntakeResult Refused(string error, string reason) => new(null, error, reason);
}

/// <summary>
/// Verifies a message received on a topic exactly as issue 4 and docs/packet-format.md say (the core's
/// <see cref="PacketVerifier"/>: JWS, HS256 only, kid, signature, schema, binding to the topic's gateway and
/// kind) and copies the packet out. Safe for concurrent use: each thread has its own verifier (they are not
/// thread-safe, and allocation-free once made). Replay decisions need the store and are made there.
/// </summary>
public sealed class PacketIntake
{
    /// <summary>The error name for a topic outside the scheme (other prefix, unknown kind, bad gateway id).</summary>
    public const string UnknownTopic = "UnknownTopic";

    private readonly IPacketKeyStore _keys;
    private readonly MqttTopics _topics;
    private readonly ThreadLocal<PacketVerifier> _verifiers;

    public PacketIntake(IPacketKeyStore keys, MqttTopics topics, int maxPacketBytes)
    {
        _keys = keys;
        _topics = topics;
        MaxPacketBytes = maxPacketBytes;
        _verifiers = new ThreadLocal<PacketVerifier>(() => new PacketVerifier(_keys, new DotNetPacketMac(), MaxPacketBytes));
    }

    public int MaxPacketBytes { get; }

    public MqttTopics Topics => _topics;

    public IntakeResult Verify(string topic, ReadOnlySpan<byte> message, DateTime nowUtc)
    {
        if (!_topics.TryParse(topic, out var gatewayId, out var kind))
        {
            return IntakeResult.Refused(UnknownTopic, $"topic '{Printable(topic)}' is not {_topics.Prefix}/<gatewayId>/(up|status|down|reply)");
        }

        // Refuse before copying: an oversized message is never worth a buffer.
        if (message.Length > MaxPacketBytes)
        {
            return IntakeResult.Refused(nameof(PacketError.Oversized), $"packet is {message.Length} bytes; the limit is {MaxPacketBytes}");
        }

        var verifier = _verifiers.Value!;
        var bytes = message.ToArray();
        var error = verifier.Verify(bytes, 0, bytes.Length, gatewayId, kind, nowUtc);
        return error == PacketError.None
            ? new IntakeResult(Copy(verifier.Packet, Encoding.ASCII.GetString(bytes)), "", "")
            : IntakeResult.Refused(error.ToString(), verifier.Reason);
    }

    private static IngestedPacket Copy(VerifiedPacket verified, string packet)
    {
        var readings = new ReadingRow[verified.ReadingCount];
        var reading = new PacketReading();
        for (var i = 0; i < readings.Length; i++)
        {
            verified.GetReading(i, reading);
            readings[i] = new ReadingRow(reading.Sequence, reading.MeterId, reading.PointId, reading.TimeUtc, reading.Value.ToString(), reading.Unit, reading.Flags);
        }

        StatusInfo? status = null;
        if (verified.Kind == PacketKind.Status)
        {
            var s = new GatewayStatus();
            verified.GetStatus(s);
            status = new StatusInfo(s.State, s.Firmware, s.UptimeSeconds, s.ClockSynchronized, s.QueuedReadings, s.WillSequence);
        }

        ReplyInfo? reply = null;
        if (verified.Kind == PacketKind.Reply)
        {
            var r = new CommandReply();
            verified.GetReply(r);
            reply = new ReplyInfo(r.CommandSequence, r.Result, r.Message);
        }

        return new IngestedPacket(
            verified.Kind, verified.GatewayId, verified.Sequence, verified.KeyVersion, verified.CreatedUtc, packet, readings, status, reply);
    }

    /// <summary>Topics come from the network: keep control characters and length out of reasons and logs.</summary>
    internal static string Printable(string text)
    {
        var clipped = text.Length > 120 ? text[..120] + "..." : text;
        return string.Create(clipped.Length, clipped, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
