namespace EdgeMeter.Firmware.Board;

/// <summary>The three GPIOs of one RS-485 bus: UART TX and RX, and RTS driving the transceiver's DE and /RE.</summary>
public sealed class BusPins
{
    public BusPins(string port, int tx, int rx, int rts)
    {
        Port = port;
        Tx = tx;
        Rx = rx;
        Rts = rts;
    }

    /// <summary>"COM2" (UART1, bus 1) or "COM3" (UART2, bus 2).</summary>
    public string Port { get; }

    public int Tx { get; }

    public int Rx { get; }

    public int Rts { get; }
}
