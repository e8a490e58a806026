namespace EdgeMeter.Core.Packet;

/// <summary>JSON member names of the packet contract, in the order the signer writes them.</summary>
public static class PacketFields
{
    // JWS header
    public const string Algorithm = "alg";
    public const string KeyId = "kid";
    public const string Critical = "crit";

    // Every payload
    public const string Version = "v";
    public const string Kind = "k";
    public const string Gateway = "gw";
    public const string Sequence = "seq";
    public const string Created = "ts";

    // Readings ("up")
    public const string Readings = "r";
    public const string ReadingSequence = "n";
    public const string Meter = "m";
    public const string Point = "p";
    public const string Time = "t";
    public const string Value = "val";
    public const string Unit = "u";
    public const string Quality = "q";

    // Status
    public const string State = "state";
    public const string Firmware = "fw";
    public const string Uptime = "uptime";
    public const string ClockSynchronized = "synced";
    public const string Queued = "queued";
    public const string Will = "will";
    public const string Memory = "mem";
    public const string Dropped = "dropped";
    public const string Reconnects = "reconnects";
    public const string PlatformMessage = "msg";
    public const string Meters = "meters";
    public const string Buses = "buses";
    public const string HealthId = "id";
    public const string Online = "online";
    public const string Requests = "req";
    public const string Timeouts = "to";
    public const string Errors = "err";
    public const string Latency = "ms";
    public const string Drift = "drift";

    // Command ("down")
    public const string Expires = "expires";
    public const string Name = "name";
    public const string Arguments = "args";

    // Reply
    public const string Command = "cmd";
    public const string Result = "result";
    public const string Message = "msg";
}
