namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>The address and quantity checks every master makes before it builds a request.</summary>
internal static class ModbusArguments
{
    public static void CheckRange(int address, int count, int maxCount, int arrayLength)
    {
        if (address < 0 || address > 0xFFFF)
        {
            throw new System.ArgumentOutOfRangeException(nameof(address));
        }

        if (count < 1 || count > maxCount || address + count > 0x10000 || arrayLength < count)
        {
            throw new System.ArgumentOutOfRangeException(nameof(count));
        }
    }
}
