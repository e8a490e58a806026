namespace EdgeMeter.Firmware.Board;

/// <summary>
/// The pin contract of nf-boards.md section 2, one row per nanoFramework target. Change that table and this class in
/// the same commit. An unknown board gets no pins at all: the firmware refuses to start the buses rather than guess.
/// </summary>
public sealed class BoardPins
{
    private BoardPins(string target, char map, BusPins bus1, BusPins bus2, int runLed, int activityLed, bool hasEthernet)
    {
        Target = target;
        Map = map;
        Bus1 = bus1;
        Bus2 = bus2;
        RunLed = runLed;
        ActivityLed = activityLed;
        HasEthernet = hasEthernet;
    }

    /// <summary>The nanoFramework target name, e.g. "ESP32_PSRAM_REV3".</summary>
    public string Target { get; }

    /// <summary>Pin map letter of nf-boards.md (A, B, C or D).</summary>
    public char Map { get; }

    /// <summary>Bus 1: COM2 (UART1).</summary>
    public BusPins Bus1 { get; }

    /// <summary>Bus 2: COM3 (UART2).</summary>
    public BusPins Bus2 { get; }

    /// <summary>Run/network LED, active high.</summary>
    public int RunLed { get; }

    /// <summary>Bus activity LED, active high.</summary>
    public int ActivityLed { get; }

    /// <summary>The target's firmware has an Ethernet MAC/PHY configured (nf-interpreter defconfig).</summary>
    public bool HasEthernet { get; }

    /// <summary>The pins of "COM2" or "COM3"; null for any other port name.</summary>
    public BusPins? BusFor(string port)
    {
        if (port == Bus1.Port)
        {
            return Bus1;
        }

        return port == Bus2.Port ? Bus2 : null;
    }

    /// <summary>
    /// The row for <paramref name="target"/> (the provisioned board name, else SystemInfo.TargetName), or null when
    /// the table has none.
    /// </summary>
    public static BoardPins? ForTarget(string target)
    {
        switch (target)
        {
            case "ESP32_REV3":
                return MapA(target, false);
            case "ESP32_WT32_ETH01":
                return MapA(target, true);
            case "ESP32_PSRAM_REV3":
                return MapB(target, false);
            case "ESP32_ETHERNET_KIT_1.2":
                return MapB(target, true);
            case "ESP32_OLIMEX":
                return new BoardPins(target, 'C', new BusPins("COM2", 4, 35, 32), new BusPins("COM3", 13, 16, 33), 2, 14, true);
            case "ESP32_S3_OCTAL":
                return new BoardPins(target, 'D', new BusPins("COM2", 17, 18, 8), new BusPins("COM3", 5, 6, 7), 1, 2, false);
            default:
                return null;
        }
    }

    private static BoardPins MapA(string target, bool hasEthernet) =>
        new BoardPins(target, 'A', new BusPins("COM2", 4, 35, 32), new BusPins("COM3", 17, 5, 33), 2, 14, hasEthernet);

    private static BoardPins MapB(string target, bool hasEthernet) =>
        new BoardPins(target, 'B', new BusPins("COM2", 4, 35, 32), new BusPins("COM3", 13, 34, 33), 2, 14, hasEthernet);
}
