namespace nanoFramework.Hardware.Esp32;

/// <summary>Only the serial functions the RS-485 buses use (DeviceTypePins.cs has the others).</summary>
public enum DeviceFunction
{
    COM2_TX = 197120,
    COM2_RX = 197121,
    COM2_RTS = 197122,
    COM2_CTS = 197123,
    COM3_TX = 197376,
    COM3_RX = 197377,
    COM3_RTS = 197378,
    COM3_CTS = 197379,
}

public class Configuration
{
    public static void SetPinFunction(int pin, DeviceFunction value) => throw null!;

    public static int GetFunctionPin(DeviceFunction function) => throw null!;
}

public class HighResTimer : System.IDisposable
{
    public static ulong GetCurrent() => throw null!;

    public void Dispose() => throw null!;
}
