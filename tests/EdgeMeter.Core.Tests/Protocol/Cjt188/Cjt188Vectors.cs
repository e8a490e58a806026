namespace EdgeMeter.Core.Tests.Protocol.Cjt188;

/// <summary>
/// Published CJ/T 188 frames (preamble left out), each checksum recomputed here; docs/cjt188.md names the sources.
/// </summary>
internal static class Cjt188Vectors
{
    /// <summary>Read address, broadcast (type AAH).</summary>
    public const string ReadAddress = "68 AA AA AA AA AA AA AA AA 03 03 81 0A 00 49 16";

    /// <summary>A water meter's answer to it: address 00002020120218.</summary>
    public const string ReadAddressReply = "68 10 18 02 12 20 20 00 00 83 03 81 0A 00 F5 16";

    /// <summary>Read current data (901FH, DI as the 2004 tables print it) from that water meter.</summary>
    public const string ReadWater = "68 10 18 02 12 20 20 00 00 01 03 90 1F 00 97 16";

    /// <summary>Its answer: 2.00 m3 now and at the settlement day, no clock (zeros), ST 00 FF.</summary>
    public const string ReadWaterReply = "68 10 18 02 12 20 20 00 00 81 16 90 1F 00 00 02 00 00 2C 00 02 00 00 2C 00 00 00 00 00 00 00 00 FF 85 16";

    /// <summary>A water meter that wants the DI as 1F 90: address 78330011223344.</summary>
    public const string ReadWaterSwapped = "68 10 44 33 22 11 00 33 78 01 03 1F 90 00 80 16";

    /// <summary>Its published answer, 556677.00 m3 at 2015-05-11 22:01:31: the published CS (08) is wrong (13 is right).</summary>
    public const string ReadWaterSwappedReplyBadChecksum = "68 10 44 33 22 11 00 33 78 81 16 1F 90 00 00 77 66 55 2C 00 77 66 55 2C 31 01 22 11 05 15 20 21 84 08 16";

    /// <summary>A heat meter's read (type 20H, DI 1F 90, SER 12H).</summary>
    public const string ReadHeat = "68 20 12 19 24 18 27 31 00 01 03 1F 90 12 0C 16";

    /// <summary>Its answer, as type 25H and SER 03H: 274.11 / 54427.88 kWh, 7156.08 m3, 26.79 / 26.64 degC, 74766 h, 2025-09-03 17:52:11.</summary>
    public const string ReadHeatReply =
        "68 25 12 19 24 18 27 31 00 81 2E 1F 90 03 11 74 02 00 05 88 27 44 05 05 00 00 00 00 17 00 00 00 00 35 " +
        "08 56 71 00 2C 79 26 00 64 26 00 66 47 07 11 52 17 03 09 25 20 00 05 2A 16";

    /// <summary>Another heat meter's answer: all zero but 23.02 / 23.11 degC, 5834 h, 2023-09-05 12:49:09, ST 00 08.</summary>
    public const string HeatReplyZeros =
        "68 20 13 47 06 12 00 74 00 81 2E 1F 90 00 00 00 00 00 05 00 00 00 00 05 00 00 00 00 17 00 00 00 00 35 " +
        "00 00 00 00 2C 02 23 00 11 23 00 34 58 00 09 49 12 05 09 23 20 00 08 F0 16";

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty));
}
