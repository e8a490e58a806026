using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.MeterSim.Protocol.Dlt645;

namespace EdgeMeter.Core.Tests.Protocol.Dlt645;

/// <summary>The vectors of the reference sheet and small helpers shared by the DL/T 645 tests.</summary>
internal static class Dlt645TestFrames
{
    public const string MeterAddress = "123456789012";

    // Reproduced independently twice (reference sheet).
    public const string ReadPhaseAVoltage = "FE FE FE FE 68 12 90 78 56 34 12 68 11 04 33 34 34 35 6B 16";
    public const string PhaseAVoltageReply = "FE FE FE FE 68 12 90 78 56 34 12 68 91 06 33 34 34 35 34 55 76 16";
    public const string ForwardEnergyReply = "FE FE FE FE 68 12 90 78 56 34 12 68 91 08 33 33 34 33 9A 78 56 34 88 16";
    public const string ReadAddressWildcard = "FE FE FE FE 68 AA AA AA AA AA AA 68 13 00 DF 16";
    public const string NoRequestedDataReply = "FE FE FE FE 68 12 90 78 56 34 12 68 D1 01 35 8D 16";

    // 1997 requests as they appear in several public 1997 implementations (read 9010; read address via C032).
    public const string Read9010Wildcard1997 = "68 AA AA AA AA AA AA 68 01 02 43 C3 D5 16";
    public const string ReadAddress1997 = "68 AA AA AA AA AA AA 68 01 02 65 F3 27 16";

    public static Dlt645Address Address => Dlt645Address.Parse(MeterAddress);

    public static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", string.Empty));

    public static string ToHex(byte[] bytes, int offset, int count) =>
        string.Join(" ", bytes.Skip(offset).Take(count).Select(b => b.ToString("X2")));

    public static string ToHex(byte[] bytes) => ToHex(bytes, 0, bytes.Length);

    /// <summary>Encodes with the given encoder call into a fresh array of exactly the frame's length.</summary>
    public static byte[] Build(Func<byte[], int> encode)
    {
        var buffer = new byte[Dlt645FrameEncoder.MaxFrameLength + 16];
        var length = encode(buffer);
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>A read reply carrying <paramref name="valueBytes"/> for <paramref name="di"/>.</summary>
    public static byte[] ReadReply(
        Dlt645Address address,
        uint di,
        byte[] valueBytes,
        bool more = false,
        Dlt645Version version = Dlt645Version.V2007,
        int preamble = 4) =>
        Build(b => Dlt645ReplyEncoder.EncodeReadReply(
            b, 0, preamble, version, address, di, valueBytes, 0, valueBytes.Length, more));

    /// <summary>The value bytes of a catalogue item holding <paramref name="text"/>.</summary>
    public static byte[] ValueBytes(uint di, string text, Dlt645Version version = Dlt645Version.V2007)
    {
        var item = Dlt645Catalogue.Find(di, version) ?? throw new ArgumentException($"{di:X8} not catalogued");
        Assert.True(EdgeMeter.Core.Values.FixedDecimal.TryParse(text, out var value));
        var bytes = new byte[item.ElementLength];
        Assert.True(Dlt645ValueCodec.TryEncode(item, value, bytes, 0));
        return bytes;
    }

    /// <summary>Feeds every byte and returns a copy of each decoded frame, re-encoded without preamble.</summary>
    public static List<byte[]> FeedAll(Dlt645FrameParser parser, byte[] bytes)
    {
        var frames = new List<byte[]>();
        foreach (var b in bytes)
        {
            if (parser.Feed(b))
            {
                frames.Add(Reencode(parser.Frame));
            }
        }

        return frames;
    }

    public static byte[] Reencode(Dlt645Frame frame) =>
        Build(b => Dlt645FrameEncoder.Encode(b, 0, 0, frame.Address, frame.Control, frame.Data, 0, frame.DataLength));

    public static byte[] WithoutPreamble(byte[] frame)
    {
        var start = Array.IndexOf(frame, (byte)0x68);
        return frame.AsSpan(start).ToArray();
    }
}
