using EdgeMeter.Core.Json;
using EdgeMeter.Core.Messages;

namespace EdgeMeter.Core.Packet;

/// <summary>The JSON strings of the contract's enumerations, indexed by enum value (flags by bit).</summary>
public static class PacketNames
{
    private static readonly string[] Kinds = { "", "up", "status", "down", "reply" };
    private static readonly string[] States = { "online", "offline" };
    private static readonly string[] Results = { "ok", "rejected", "failed", "expired", "unsupported" };
    private static readonly string[] Flags = { "time-unsync", "meter-error", "estimated", "rollover", "frozen" };

    public static int FlagCount => Flags.Length;

    public static string Kind(PacketKind kind) => Kinds[(int)kind];

    public static string State(GatewayState state) => States[(int)state];

    public static string Result(CommandResult result) => Results[(int)result];

    /// <summary>The name of flag bit <paramref name="bit"/> (0 = "time-unsync").</summary>
    public static string Flag(int bit) => Flags[bit];

    public static PacketKind ParseKind(string text) => (PacketKind)IndexOf(Kinds, text, 1);

    internal static PacketKind KindOf(JsonReader reader, int token) => (PacketKind)TokenIndex(reader, token, Kinds, 1, 0);

    internal static int StateOf(JsonReader reader, int token) => TokenIndex(reader, token, States, 0, -1);

    internal static int ResultOf(JsonReader reader, int token) => TokenIndex(reader, token, Results, 0, -1);

    internal static int FlagBitOf(JsonReader reader, int token) => TokenIndex(reader, token, Flags, 0, -1);

    private static int IndexOf(string[] names, string text, int first)
    {
        for (var i = first; i < names.Length; i++)
        {
            if (names[i] == text)
            {
                return i;
            }
        }

        return 0;
    }

    private static int TokenIndex(JsonReader reader, int token, string[] names, int first, int notFound)
    {
        for (var i = first; i < names.Length; i++)
        {
            if (reader.TextEquals(token, names[i]))
            {
                return i;
            }
        }

        return notFound;
    }
}
