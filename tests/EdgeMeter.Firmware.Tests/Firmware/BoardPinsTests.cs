using EdgeMeter.Firmware.Board;
using nanoFramework.TestFramework;

namespace EdgeMeter.Firmware.Tests.Firmware;

/// <summary>The firmware's pin table against the rules of nf-boards.md section 2.</summary>
[TestClass]
public static class BoardPinsTests
{
    private static readonly string[] Targets =
    {
        "ESP32_REV3", "ESP32_WT32_ETH01", "ESP32_PSRAM_REV3", "ESP32_ETHERNET_KIT_1.2", "ESP32_OLIMEX", "ESP32_S3_OCTAL",
    };

    [TestMethod]
    public static void Map_A_is_the_reference_hardware()
    {
        var board = BoardPins.ForTarget("ESP32_REV3");

        Assert.IsNotNull(board);
        Assert.AreEqual('A', board!.Map);
        Check(board.Bus1, "COM2", 4, 35, 32);
        Check(board.Bus2, "COM3", 17, 5, 33);
        Assert.AreEqual(2, board.RunLed);
        Assert.AreEqual(14, board.ActivityLed);
        Assert.IsFalse(board.HasEthernet);
    }

    [TestMethod]
    public static void Maps_B_C_and_D_move_only_what_their_boards_need()
    {
        Check(BoardPins.ForTarget("ESP32_PSRAM_REV3")!.Bus2, "COM3", 13, 34, 33);
        Check(BoardPins.ForTarget("ESP32_OLIMEX")!.Bus2, "COM3", 13, 16, 33);
        var s3 = BoardPins.ForTarget("ESP32_S3_OCTAL")!;
        Check(s3.Bus1, "COM2", 17, 18, 8);
        Check(s3.Bus2, "COM3", 5, 6, 7);
        Assert.AreEqual(1, s3.RunLed);
        Assert.IsTrue(BoardPins.ForTarget("ESP32_WT32_ETH01")!.HasEthernet);
    }

    [TestMethod]
    public static void Unknown_boards_get_no_pins()
    {
        Assert.IsNull(BoardPins.ForTarget("ESP32_C3"));
        Assert.IsNull(BoardPins.ForTarget(""));
        Assert.IsNull(BoardPins.ForTarget("esp32_rev3"));
    }

    [TestMethod]
    public static void No_board_uses_a_pin_twice_or_an_input_only_pin_as_output()
    {
        for (var t = 0; t < Targets.Length; t++)
        {
            var board = BoardPins.ForTarget(Targets[t])!;
            var pins = new[]
            {
                board.Bus1.Tx, board.Bus1.Rx, board.Bus1.Rts, board.Bus2.Tx, board.Bus2.Rx, board.Bus2.Rts, board.RunLed, board.ActivityLed,
            };
            for (var i = 0; i < pins.Length; i++)
            {
                for (var j = i + 1; j < pins.Length; j++)
                {
                    Assert.AreNotEqual(pins[i], pins[j], Targets[t]);
                }
            }

            var outputs = new[] { board.Bus1.Tx, board.Bus1.Rts, board.Bus2.Tx, board.Bus2.Rts, board.RunLed, board.ActivityLed };
            for (var i = 0; i < outputs.Length; i++)
            {
                Assert.IsFalse(!Targets[t].StartsWith("ESP32_S3") && outputs[i] >= 34 && outputs[i] <= 39, Targets[t]);
            }

            Assert.IsTrue(board.BusFor("COM2") == board.Bus1);
            Assert.IsTrue(board.BusFor("COM3") == board.Bus2);
            Assert.IsNull(board.BusFor("COM1"));
        }
    }

    private static void Check(BusPins pins, string port, int tx, int rx, int rts)
    {
        Assert.AreEqual(port, pins.Port);
        Assert.AreEqual(tx, pins.Tx);
        Assert.AreEqual(rx, pins.Rx);
        Assert.AreEqual(rts, pins.Rts);
    }
}
