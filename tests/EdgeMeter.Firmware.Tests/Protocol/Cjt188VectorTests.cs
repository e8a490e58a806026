using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Values;
using EdgeMeter.Firmware.Tests.Support;
using nanoFramework.TestFramework;

namespace EdgeMeter.Firmware.Tests.Protocol;

/// <summary>
/// CJ/T 188 and Modbus TCP framing on the device's runtime: published CJ/T 188 frames (docs/cjt188.md) encoded and
/// decoded, and the Modbus specification's example in MBAP framing (docs/modbus.md).
/// </summary>
[TestClass]
public static class Cjt188VectorTests
{
    private const string WaterRequest = "FE FE FE FE 68 10 18 02 12 20 20 00 00 01 03 90 1F 00 97 16";

    private const string HeatReply =
        "68 25 12 19 24 18 27 31 00 81 2E 1F 90 03 11 74 02 00 05 88 27 44 05 05 00 00 00 00 17 00 00 00 00 35 " +
        "08 56 71 00 2C 79 26 00 64 26 00 66 47 07 11 52 17 03 09 25 20 00 05 2A 16";

    [TestMethod]
    public static void A_read_request_is_the_published_frame()
    {
        Cjt188Address address;
        Assert.IsTrue(Cjt188Address.TryParse("00002020120218", out address));
        var buffer = new byte[Cjt188FrameEncoder.MaxRequestLength];

        var length = Cjt188FrameEncoder.EncodeRequest(buffer, Cjt188MeterType.ColdWater, address, Cjt188FrameEncoder.ReadDataFunction, Cjt188FrameEncoder.CurrentDataIdentifier, false, 0);

        Assert.AreEqual(WaterRequest, HexText.Spaced(buffer, 0, length));
    }

    [TestMethod]
    public static void A_heat_meters_reply_decodes_to_its_values_and_clock()
    {
        var parser = new Cjt188FrameParser();
        var bytes = HexText.Bytes(HeatReply);
        var frames = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            frames += parser.Feed(bytes[i]) ? 1 : 0;
        }

        Assert.AreEqual(1, frames);
        var data = new Cjt188CurrentData();
        Assert.IsTrue(data.TryDecode(parser.Frame.Data, parser.Frame.DataLength));
        FixedDecimal value;
        string unit;
        Assert.IsTrue(data.TryGet(Cjt188Field.Heat, out value, out unit));
        Assert.AreEqual("54427.88", value.ToString());
        Assert.AreEqual("kWh", unit);
        Assert.IsTrue(data.TryGet(Cjt188Field.SupplyTemperature, out value, out unit));
        Assert.AreEqual("26.79", value.ToString());
        Assert.AreEqual(2025, data.MeterTime.Year);
        Assert.AreEqual(52, data.MeterTime.Minute);
    }

    [TestMethod]
    public static void A_modbus_request_in_mbap_framing_is_the_specifications_example()
    {
        var rtu = new byte[ModbusFrameReader.MaxFrameLength];
        var adu = new byte[ModbusTcpMaster.MaxAduLength];
        var rtuLength = ModbusRtuRequest.BuildRead(rtu, 0x11, ModbusFunction.ReadHoldingRegisters, 0x6B, 3);

        var length = ModbusTcpFrame.FromRtu(rtu, rtuLength, 1, adu);

        Assert.AreEqual("00 01 00 00 00 06 11 03 00 6B 00 03", HexText.Spaced(adu, 0, length));
        Assert.AreEqual(6, ModbusTcpFrame.PduLength(HexText.Bytes("00 01 00 00 00 07 11 03 06")));
    }
}
