using EdgeMeter.Core.Uplink;

namespace EdgeMeter.Core.Tests.Fakes;

/// <summary>An in-memory broker connection: the test decides when the broker is reachable and when it acknowledges.</summary>
public sealed class FakeMqttTransport : IMqttTransport
{
    private IMqttTransportListener? _listener;
    private int _nextToken;

    public bool BrokerUp { get; set; } = true;

    public bool IsConnected { get; private set; }

    public int Connects { get; private set; }

    public byte[]? Will { get; private set; }

    /// <summary>Publishes the broker has not acknowledged yet, oldest first.</summary>
    public List<(int Token, string Topic, byte[] Payload, bool Retain)> Pending { get; } = [];

    /// <summary>Everything the broker acknowledged, in order.</summary>
    public List<(string Topic, byte[] Payload, bool Retain)> Delivered { get; } = [];

    public void SetListener(IMqttTransportListener listener) => _listener = listener;

    public string? Connect(string willTopic, byte[] willPayload, string subscribeTopic)
    {
        if (!BrokerUp)
        {
            return "broker unreachable";
        }

        Connects++;
        IsConnected = true;
        Will = willPayload;
        return null;
    }

    public void Disconnect()
    {
        IsConnected = false;
        Pending.Clear();
    }

    public int Publish(string topic, byte[] payload, int count, bool retain)
    {
        if (!IsConnected)
        {
            return -1;
        }

        var token = ++_nextToken;
        Pending.Add((token, topic, payload[..count], retain));
        return token;
    }

    /// <summary>The broker acknowledges up to <paramref name="count"/> publishes, in order.</summary>
    public int Acknowledge(int count = int.MaxValue)
    {
        var done = 0;
        while (done < count && Pending.Count > 0)
        {
            var (token, topic, payload, retain) = Pending[0];
            Pending.RemoveAt(0);
            Delivered.Add((topic, payload, retain));
            _listener!.Published(token, true);
            done++;
        }

        return done;
    }

    /// <summary>The connection drops: nothing pending is acknowledged.</summary>
    public void Drop(string reason = "connection reset")
    {
        IsConnected = false;
        Pending.Clear();
        _listener!.ConnectionLost(reason);
    }

    public void Arrive(string topic, byte[] payload) => _listener!.MessageArrived(topic, payload);
}
