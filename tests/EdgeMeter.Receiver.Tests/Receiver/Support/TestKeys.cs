using EdgeMeter.Receiver.Keys;

namespace EdgeMeter.Receiver.Tests.Receiver.Support;

/// <summary>Public test keys (never used anywhere else): gw-0001 has versions 1 (the vectors' key) and 2, gw-0002 version 1.</summary>
internal static class TestKeys
{
    public const string Gateway1 = "gw-0001";
    public const string Gateway2 = "gw-0002";

    public static readonly byte[] Gateway1V1 = Bytes(0x00);
    public static readonly byte[] Gateway1V2 = Bytes(0x20);
    public static readonly byte[] Gateway2V1 = Bytes(0x40);

    public static IReadOnlyList<KeyEntry> All =>
    [
        new(Gateway1, 1, Gateway1V1),
        new(Gateway1, 2, Gateway1V2),
        new(Gateway2, 1, Gateway2V1),
    ];

    private static byte[] Bytes(int first) => Enumerable.Range(first, 32).Select(b => (byte)b).ToArray();
}
