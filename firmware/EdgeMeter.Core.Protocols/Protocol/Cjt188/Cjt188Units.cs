namespace EdgeMeter.Core.Protocol.Cjt188;

/// <summary>
/// The unit byte after each value of a CJ/T 188-2004 reply. Two codes count in hundreds (0AH MWh x 100, 13H GJ x 100);
/// the x10/x100 codes some meters use between the others are not confirmed by two public sources and are refused.
/// </summary>
public static class Cjt188Units
{
    private static readonly byte[] Codes = { 0x01, 0x02, 0x05, 0x08, 0x0A, 0x0B, 0x0E, 0x11, 0x13, 0x14, 0x17, 0x1A, 0x29, 0x2C, 0x32, 0x35 };
    private static readonly string[] Names = { "J", "Wh", "kWh", "MWh", "MWh", "kJ", "MJ", "GJ", "GJ", "W", "kW", "MW", "L", "m3", "L/h", "m3/h" };

    /// <summary>The unit's name as readings carry it (ASCII: m3, not m³); null for a code not in the table.</summary>
    public static string? NameOf(byte code)
    {
        var index = IndexOf(code);
        return index < 0 ? null : Names[index];
    }

    /// <summary>100 for the codes that count in hundreds of their unit, else 1.</summary>
    public static int MultiplierOf(byte code) => code == 0x0A || code == 0x13 ? 100 : 1;

    private static int IndexOf(byte code)
    {
        for (var i = 0; i < Codes.Length; i++)
        {
            if (Codes[i] == code)
            {
                return i;
            }
        }

        return -1;
    }
}
