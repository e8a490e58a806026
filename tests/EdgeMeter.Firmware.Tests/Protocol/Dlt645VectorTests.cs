using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Values;
using EdgeMeter.Firmware.Tests.Support;
using nanoFramework.TestFramework;

namespace EdgeMeter.Firmware.Tests.Protocol;

/// <summary>
/// The DL/T 645 reference vectors (docs/dlt645.md) on the device's runtime: the same frames the PC tests check in
/// tests/EdgeMeter.Core.Tests/Protocol/Dlt645/Dlt645VectorTests.cs, byte for byte.
/// </summary>
[TestClass]
public static class Dlt645VectorTests
{
    private const string MeterAddress = "123456789012";
    private const string ReadPhaseAVoltage = "FE FE FE FE 68 12 90 78 56 34 12 68 11 04 33 34 34 35 6B 16";
    private const string PhaseAVoltageReply = "FE FE FE FE 68 12 90 78 56 34 12 68 91 06 33 34 34 35 34 55 76 16";
    private const string ForwardEnergyReply = "FE FE FE FE 68 12 90 78 56 34 12 68 91 08 33 33 34 33 9A 78 56 34 88 16";
    private const string ReadAddressWildcard = "FE FE FE FE 68 AA AA AA AA AA AA 68 13 00 DF 16";
    private const string NoRequestedDataReply = "FE FE FE FE 68 12 90 78 56 34 12 68 D1 01 35 8D 16";
    private const string Read9010Wildcard1997 = "68 AA AA AA AA AA AA 68 01 02 43 C3 D5 16";
    private const string ReadAddress1997 = "68 AA AA AA AA AA AA 68 01 02 65 F3 27 16";

    private static readonly byte[] Frame = new byte[Dlt645FrameEncoder.MaxFrameLength + 16];

    [TestMethod]
    public static void Encodes_the_phase_A_voltage_read_request()
    {
        var length = Dlt645FrameEncoder.EncodeReadRequest(Frame, 0, 4, Dlt645Version.V2007, Address(), 0x02010100);

        Assert.AreEqual(ReadPhaseAVoltage, HexText.Spaced(Frame, 0, length));
    }

    [TestMethod]
    public static void Decodes_the_phase_A_voltage_read_request()
    {
        var parser = new Dlt645FrameParser();

        Assert.AreEqual(1, FeedAll(parser, ReadPhaseAVoltage));
        Assert.IsTrue(parser.Frame.Address == Address());
        Assert.AreEqual((byte)0x11, parser.Frame.Control);
        Assert.IsFalse(parser.Frame.IsReply);
        Assert.IsTrue(parser.Frame.TryGetDataIdentifier(Dlt645Version.V2007, out var di));
        Assert.AreEqual(0x02010100u, di);
    }

    [TestMethod]
    public static void Finds_the_DI_and_the_BCD_bytes_of_the_220_1_volt_reply()
    {
        AssertReplyData(PhaseAVoltageReply, 0x02010100, "01 22");
    }

    [TestMethod]
    public static void Decodes_the_220_1_volt_reply()
    {
        Assert.IsTrue(new FixedDecimal(2201, 1).Equals(DecodeReply(PhaseAVoltageReply, 0x02010100)));
    }

    [TestMethod]
    public static void Finds_the_DI_and_the_BCD_bytes_of_the_12345_67_kWh_reply()
    {
        AssertReplyData(ForwardEnergyReply, 0x00010000, "67 45 23 01");
    }

    [TestMethod]
    public static void Decodes_the_12345_67_kWh_reply()
    {
        Assert.IsTrue(new FixedDecimal(1234567, 2).Equals(DecodeReply(ForwardEnergyReply, 0x00010000)));
    }

    [TestMethod]
    public static void Encodes_and_decodes_the_wildcard_read_address_request()
    {
        var length = Dlt645FrameEncoder.EncodeReadAddressRequest(Frame, 0, 4, Dlt645Version.V2007);
        Assert.AreEqual(ReadAddressWildcard, HexText.Spaced(Frame, 0, length));

        var parser = new Dlt645FrameParser();
        Assert.AreEqual(1, FeedAll(parser, ReadAddressWildcard));
        Assert.IsTrue(parser.Frame.Address.IsWildcard);
        Assert.AreEqual((int)Dlt645Control.ReadAddress, parser.Frame.Function);
        Assert.AreEqual(0, parser.Frame.DataLength);
    }

    [TestMethod]
    public static void Decodes_the_no_requested_data_error_reply()
    {
        var parser = new Dlt645FrameParser();
        Assert.AreEqual(1, FeedAll(parser, NoRequestedDataReply));
        Assert.IsTrue(parser.Frame.IsErrorReply);
        Assert.AreEqual((byte)0xD1, parser.Frame.Control);
        Assert.IsTrue(parser.Frame.ErrorFlags == Dlt645ErrorFlags.NoRequestedData);
    }

    [TestMethod]
    public static void Encodes_and_decodes_the_signed_example()
    {
        var bytes = new byte[3];
        Assert.IsTrue(Dlt645ValueCodec.TryEncode(new FixedDecimal(-12345, 4), 3, 4, true, bytes, 0));
        Assert.AreEqual("45 23 81", HexText.Spaced(bytes, 0, 3));

        Assert.IsTrue(Dlt645ValueCodec.TryDecode(bytes, 0, 3, 4, true, out var value));
        Assert.IsTrue(new FixedDecimal(-12345, 4).Equals(value));
    }

    [TestMethod]
    public static void Encodes_the_1997_requests()
    {
        var length = Dlt645FrameEncoder.EncodeReadRequest(Frame, 0, 0, Dlt645Version.V1997, Dlt645Address.Wildcard, 0x9010);
        Assert.AreEqual(Read9010Wildcard1997, HexText.Spaced(Frame, 0, length));

        length = Dlt645FrameEncoder.EncodeReadAddressRequest(Frame, 0, 0, Dlt645Version.V1997);
        Assert.AreEqual(ReadAddress1997, HexText.Spaced(Frame, 0, length));
    }

    [TestMethod]
    public static void A_corrupted_checksum_is_counted_not_accepted()
    {
        var bytes = HexText.Bytes(PhaseAVoltageReply);
        bytes[bytes.Length - 2] ^= 0x01;
        var parser = new Dlt645FrameParser();

        var frames = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            frames += parser.Feed(bytes[i]) ? 1 : 0;
        }

        Assert.AreEqual(0, frames);
        Assert.AreEqual(1, parser.ChecksumErrors);
    }

    private static Dlt645Address Address() => Dlt645Address.Parse(MeterAddress);

    // What a master reads from a reply: the DI it answers and the value bytes after it (0x33 removed), lowest first.
    private static void AssertReplyData(string reply, uint expectedDi, string expectedValueBytes)
    {
        var parser = new Dlt645FrameParser();
        Assert.AreEqual(1, FeedAll(parser, reply));
        Assert.IsTrue(parser.Frame.TryGetDataIdentifier(Dlt645Version.V2007, out var di));
        Assert.AreEqual(expectedDi, di);
        var data = parser.Frame.Data;
        Assert.AreEqual(expectedValueBytes, HexText.Spaced(data, 4, parser.Frame.DataLength - 4));
    }

    private static FixedDecimal DecodeReply(string hex, uint expectedDi)
    {
        var parser = new Dlt645FrameParser();
        Assert.AreEqual(1, FeedAll(parser, hex));
        var frame = parser.Frame;
        Assert.IsTrue(frame.Address == Address());
        Assert.AreEqual((byte)0x91, frame.Control);
        Assert.IsTrue(frame.TryGetDataIdentifier(Dlt645Version.V2007, out var di));
        Assert.AreEqual(expectedDi, di);
        var item = Dlt645Catalogue.Find(di, Dlt645Version.V2007);
        Assert.IsNotNull(item);
        Assert.IsTrue(Dlt645ValueCodec.TryDecode(item!, frame.Data, 4, frame.DataLength - 4, out var value));
        return value;
    }

    private static int FeedAll(Dlt645FrameParser parser, string hex)
    {
        var bytes = HexText.Bytes(hex);
        var frames = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            frames += parser.Feed(bytes[i]) ? 1 : 0;
        }

        return frames;
    }
}
