namespace EdgeMeter.Core.Packet;

/// <summary>The gateway's health, published retained on the status topic.</summary>
public sealed class GatewayStatus
{
    public GatewayState State { get; set; }

    public string Firmware { get; set; } = "";

    public long UptimeSeconds { get; set; }

    /// <summary>Whether the gateway clock is synchronized (SNTP); reading times are trustworthy only then.</summary>
    public bool ClockSynchronized { get; set; }

    /// <summary>Readings stored on the gateway and not yet acknowledged by the broker.</summary>
    public long QueuedReadings { get; set; }

    /// <summary>
    /// The sequence number of the last-will (offline) packet registered for the current MQTT connection. The will is
    /// signed at connect time, so it reaches the platform with a sequence number lower than packets sent after it;
    /// announcing it lets a receiver accept it once (docs/mqtt-topics.md).
    /// </summary>
    public long WillSequence { get; set; }
}
