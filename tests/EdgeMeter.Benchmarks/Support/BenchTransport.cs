using EdgeMeter.Core.Uplink;

namespace EdgeMeter.Benchmarks.Support;

/// <summary>
/// A broker that acknowledges every publish at once and keeps nothing (no copy of the payload), so the uplink's
/// own cost per packet is what is measured. Counts packets and bytes.
/// </summary>
public sealed class BenchTransport : IMqttTransport
{
    private IMqttTransportListener? _listener;
    private int _token;

    public bool IsConnected { get; private set; }

    public long Packets { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Bytes of readings packets (topics ending in /up): what the readings cost on the uplink.</summary>
    public long UpBytes { get; private set; }

    public long UpPackets { get; private set; }

    /// <summary>Whole MQTT 3.1.1 PUBLISH packets (QoS 1) of readings: fixed header, topic, packet id, payload.</summary>
    public long UpPublishBytes { get; private set; }

    public long StatusPackets { get; private set; }

    public long StatusPublishBytes { get; private set; }

    /// <summary>The bytes of an MQTT 3.1.1 QoS 1 PUBLISH: type byte, remaining length, topic, packet id, payload.</summary>
    public static long PublishBytes(string topic, int payloadBytes)
    {
        var remaining = 2 + System.Text.Encoding.UTF8.GetByteCount(topic) + 2 + payloadBytes;
        var lengthBytes = remaining < 128 ? 1 : remaining < 16384 ? 2 : remaining < 2097152 ? 3 : 4;
        return 1 + lengthBytes + remaining;
    }

    public void SetListener(IMqttTransportListener listener) => _listener = listener;

    public string? Connect(string willTopic, byte[] willPayload, string subscribeTopic)
    {
        IsConnected = true;
        return null;
    }

    public void Disconnect() => IsConnected = false;

    public int Publish(string topic, byte[] payload, int count, bool retain)
    {
        if (!IsConnected)
        {
            return -1;
        }

        Packets++;
        Bytes += count;
        if (topic.EndsWith("/up", StringComparison.Ordinal))
        {
            UpBytes += count;
            UpPackets++;
            UpPublishBytes += PublishBytes(topic, count);
        }
        else if (topic.EndsWith("/status", StringComparison.Ordinal))
        {
            StatusPackets++;
            StatusPublishBytes += PublishBytes(topic, count);
        }

        var token = ++_token;
        _listener?.Published(token, true);
        return token;
    }
}
