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
        }
        var token = ++_token;
        _listener?.Published(token, true);
        return token;
    }
}
