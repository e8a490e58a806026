namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>Words and bits as RTU frames carry them: words high byte first, bits packed least significant first.</summary>
public static class ModbusFrameBytes
{
    public static int ReadWord(byte[] frame, int offset) => (frame[offset] << 8) | frame[offset + 1];

    public static void PackRegisters(ushort[] values, int offset, int count, byte[] frame, int at)
    {
        for (var i = 0; i < count; i++)
        {
            var value = values[offset + i];
            frame[at++] = (byte)(value >> 8);
            frame[at++] = (byte)value;
        }
    }

    public static void PackBits(bool[] values, int offset, int count, byte[] frame, int at)
    {
        System.Array.Clear(frame, at, (count + 7) >> 3);
        for (var i = 0; i < count; i++)
        {
            if (values[offset + i])
            {
                frame[at + (i >> 3)] |= (byte)(1 << (i & 7));
            }
        }
    }
}
