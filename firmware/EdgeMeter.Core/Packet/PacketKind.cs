namespace EdgeMeter.Core.Packet;

/// <summary>What a packet carries; the name ("up", "status", "down", "reply") is also its topic's last level.</summary>
public enum PacketKind
{
    None = 0,

    /// <summary>Readings, gateway to platform.</summary>
    Up,

    /// <summary>Gateway health, retained; the last will is an offline status.</summary>
    Status,

    /// <summary>A command to the gateway.</summary>
    Down,

    /// <summary>The gateway's answer to a command.</summary>
    Reply,
}
