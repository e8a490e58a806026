namespace EdgeMeter.Core.Uplink;

/// <summary>
/// The gateway's MQTT connection, as thin as the two clients it wraps (MQTTnet on a PC, M2Mqtt on the ESP32).
/// All publishes are QoS 1. Completion and incoming messages are reported to the <see cref="IMqttTransportListener"/>,
/// possibly from the client's own thread: listeners must only record and return.
/// </summary>
public interface IMqttTransport
{
    bool IsConnected { get; }

    /// <summary>Sets who is told about completions, incoming messages and connection loss. Call before Connect.</summary>
    void SetListener(IMqttTransportListener listener);

    /// <summary>
    /// Connects (clean session off), registers the last will (retained, QoS 1) and subscribes to
    /// <paramref name="subscribeTopic"/>. Returns null when connected, otherwise the reason it failed.
    /// </summary>
    string? Connect(string willTopic, byte[] willPayload, string subscribeTopic);

    void Disconnect();

    /// <summary>
    /// Queues a QoS 1 publish of <paramref name="count"/> bytes (the transport copies them) and returns a token that
    /// <see cref="IMqttTransportListener.Published"/> reports later, or -1 when not connected.
    /// </summary>
    int Publish(string topic, byte[] payload, int count, bool retain);
}

public interface IMqttTransportListener
{
    /// <summary>The broker acknowledged (PUBACK) the publish, or the client gave up on it.</summary>
    void Published(int token, bool acknowledged);

    void MessageArrived(string topic, byte[] payload);

    void ConnectionLost(string reason);
}
