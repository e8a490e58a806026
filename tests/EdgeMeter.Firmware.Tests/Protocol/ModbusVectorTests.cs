using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Firmware.Tests.Support;
using nanoFramework.TestFramework;

namespace EdgeMeter.Firmware.Tests.Protocol;

/// <summary>
/// Modbus RTU CRC and frame vectors (docs/modbus.md: published examples of the Modbus specification and Simply
/// Modbus) on the device's runtime.
/// </summary>
[TestClass]
public static class ModbusVectorTests
{
    // Frame body, then the CRC as sent on the wire (low byte first).
    private static readonly string[] CrcVectors =
    {
        "01 03 00 00 00 0A", "C5 CD",
        "11 03 00 6B 00 03", "76 87",
        "11 03 06 AE 41 56 52 43 40", "49 AD",
        "01 03 00 01 00 01", "D5 CA",
        "11 05 00 AC FF 00", "4E 8B",
        "11 06 00 01 00 03", "9A 9B",
        "11 0F 00 13 00 0A 02 CD 01", "BF 0B",
        "11 10 00 01 00 02 04 00 0A 01 02", "C6 F0",
        "01 83 02", "C0 F1",
    };

    private static readonly byte[] Frame = new byte[256];

    [TestMethod]
    public static void Crc_matches_the_published_frames()
    {
        for (var i = 0; i < CrcVectors.Length; i += 2)
        {
            var body = HexText.Bytes(CrcVectors[i]);
            System.Array.Copy(body, Frame, body.Length);

            var length = ModbusCrc.Append(Frame, body.Length);

            Assert.AreEqual(body.Length + 2, length);
            Assert.AreEqual(CrcVectors[i + 1], HexText.Spaced(Frame, body.Length, 2), CrcVectors[i]);
            Assert.IsTrue(ModbusCrc.Check(Frame, length));
        }
    }

    [TestMethod]
    public static void Crc_check_value_is_4B37()
    {
        var data = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39 }; // "123456789"
        Assert.AreEqual((ushort)0x4B37, ModbusCrc.Compute(data, 0, data.Length));
    }

    [TestMethod]
    public static void Crc_rejects_every_single_bit_error()
    {
        var frame = HexText.Bytes("11 03 06 AE 41 56 52 43 40 49 AD");
        for (var bit = 0; bit < frame.Length * 8; bit++)
        {
            frame[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.IsFalse(ModbusCrc.Check(frame, frame.Length));
            frame[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        Assert.IsTrue(ModbusCrc.Check(frame, frame.Length));
    }

    [TestMethod]
    public static void Builds_the_published_read_requests()
    {
        Assert.AreEqual("01 03 00 00 00 0A C5 CD", Built(ModbusRtuRequest.BuildRead(Frame, 1, ModbusFunction.ReadHoldingRegisters, 0, 10)));
        Assert.AreEqual("11 03 00 6B 00 03 76 87", Built(ModbusRtuRequest.BuildRead(Frame, 0x11, ModbusFunction.ReadHoldingRegisters, 0x6B, 3)));
        Assert.AreEqual("11 04 00 08 00 01 B2 98", Built(ModbusRtuRequest.BuildRead(Frame, 0x11, ModbusFunction.ReadInputRegisters, 8, 1)));
    }

    [TestMethod]
    public static void Checks_and_unpacks_the_published_register_reply()
    {
        var request = HexText.Bytes("11 03 00 6B 00 03 76 87");
        var response = HexText.Bytes("11 03 06 AE 41 56 52 43 40 49 AD");
        Assert.IsTrue(ModbusRtuResponse.Check(request, response, response.Length, out var exception) == ReadStatus.Ok);
        Assert.IsTrue(exception == ModbusExceptionCode.None);
        var unpacked = new ushort[3];
        ModbusRtuResponse.CopyRegisters(response, unpacked, 3);
        Assert.AreEqual((ushort)0xAE41, unpacked[0]);
        Assert.AreEqual((ushort)0x5652, unpacked[1]);
        Assert.AreEqual((ushort)0x4340, unpacked[2]);
    }

    [TestMethod]
    public static void Reports_a_bad_crc_and_an_exception_reply()
    {
        var request = HexText.Bytes("11 03 00 6B 00 03 76 87");
        var badCrc = HexText.Bytes("12 03 06 AE 41 56 52 43 40 49 AD");
        Assert.IsTrue(ModbusRtuResponse.Check(request, badCrc, badCrc.Length, out _) == ReadStatus.BadChecksum);

        var exceptionReply = HexText.Bytes("11 83 02 C1 34");
        Assert.IsTrue(ModbusRtuResponse.Check(request, exceptionReply, exceptionReply.Length, out var exception) == ReadStatus.ErrorReply);
        Assert.IsTrue(exception == ModbusExceptionCode.IllegalDataAddress);
    }

    [TestMethod]
    public static void Frame_reader_assembles_a_reply_fed_in_pieces()
    {
        var reply = HexText.Bytes("11 03 06 AE 41 56 52 43 40 49 AD");
        var reader = ModbusFrameReader.ForResponses();

        var taken = reader.Append(reply, 0, 2);
        taken += reader.Append(reply, 2, 5);
        Assert.IsTrue(reader.State == ModbusFrameState.Incomplete);
        taken += reader.Append(reply, 7, reply.Length - 7);

        Assert.AreEqual(reply.Length, taken);
        Assert.IsTrue(reader.State == ModbusFrameState.Complete);
        Assert.AreEqual(reply.Length, reader.Length);
    }

    private static string Built(int length) => HexText.Spaced(Frame, 0, length);
}
