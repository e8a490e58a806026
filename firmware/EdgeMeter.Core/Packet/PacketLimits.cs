using EdgeMeter.Core.Crypto;

namespace EdgeMeter.Core.Packet;

/// <summary>The fixed numbers of the packet contract (docs/packet-format.md).</summary>
public static class PacketLimits
{
    /// <summary>The only JWS algorithm packets use.</summary>
    public const string Algorithm = HmacSha256.JwsAlgorithm;

    /// <summary>The payload schema version ("v") of every kind of packet.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The compact schema of "up" packets: tables of meters, points and units, rows per meter and time.</summary>
    public const int CompactUpSchemaVersion = 2;

    /// <summary>Default largest packet (the whole JWS compact string, in bytes): fits the gateway's MQTT buffers.</summary>
    public const int DefaultMaxPacketBytes = 1024;

    /// <summary>Largest sequence number: 2^53 - 1, exact in every JSON library that parses numbers as doubles.</summary>
    public const long MaxSequence = 9007199254740991;

    /// <summary>Meter ids, point ids, command names and argument names.</summary>
    public const int MaxIdentifierLength = 32;

    public const int MaxUnitLength = 16;

    /// <summary>Firmware versions, command argument values, reply messages.</summary>
    public const int MaxTextLength = 200;

    /// <summary>Longest command argument value: room for a whole configuration file in set-config.</summary>
    public const int MaxArgumentLength = 16384;

    public const int MaxCommandArguments = 16;

    /// <summary>
    /// Largest down (command) packet, on both sides: set-config with a configuration of
    /// <see cref="MaxArgumentLength"/> characters fits, JSON escapes (about a fifth of a configuration) included.
    /// </summary>
    public const int MaxDownPacketBytes = 32768;

    /// <summary>The size limit that applies to a packet on a topic of this kind when nothing else is configured.</summary>
    public static int DefaultMaxBytesFor(PacketKind kind) => kind == PacketKind.Down ? MaxDownPacketBytes : DefaultMaxPacketBytes;

    /// <summary>JSON tokens a command payload may have: 49 with its 8 members and 16 arguments, and room for unknown members to be named.</summary>
    public const int MaxCommandTokens = 96;

    /// <summary>Largest decoded JWS header accepted.</summary>
    public const int MaxHeaderBytes = 256;

    /// <summary>Characters of an HS256 signature in base64url.</summary>
    public const int SignatureCharacters = 43;
}
