namespace EdgeMeter.Core.Protocol.Cjt188;

/// <summary>
/// The meter type byte T of a CJ/T 188-2004 frame. Replies do not always echo the request's type (a heat meter asked
/// as 20H answered as 25H), so masters compare families, not bytes.
/// </summary>
public static class Cjt188MeterType
{
    public const byte ColdWater = 0x10;
    public const byte HotWater = 0x11;
    public const byte DrinkingWater = 0x12;
    public const byte ReclaimedWater = 0x13;
    public const byte Heat = 0x20;
    public const byte Cooling = 0x21;
    public const byte Gas = 0x30;
    public const byte Electricity = 0x40;

    /// <summary>The type a read-address request carries: any meter answers.</summary>
    public const byte Any = 0xAA;

    /// <summary>10H-19H water, 20H-29H heat and cooling, 30H-39H gas, 40H-49H other (the families of the 2018 edition).</summary>
    public static int Family(byte type) => type >> 4;

    public static bool IsHeat(byte type) => Family(type) == 2;

    /// <summary>The configuration's names for the types a gateway reads.</summary>
    public static readonly string[] Names = { "cold-water", "hot-water", "drinking-water", "reclaimed-water", "heat", "cooling", "gas" };

    private static readonly byte[] Codes = { ColdWater, HotWater, DrinkingWater, ReclaimedWater, Heat, Cooling, Gas };

    public static bool TryParse(string name, out byte type)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (Names[i] == name)
            {
                type = Codes[i];
                return true;
            }
        }

        type = 0;
        return false;
    }

    public static string NameOf(byte type)
    {
        for (var i = 0; i < Codes.Length; i++)
        {
            if (Codes[i] == type)
            {
                return Names[i];
            }
        }

        return "type " + Hex(type);
    }

    private static string Hex(byte value)
    {
        const string digits = "0123456789ABCDEF";
        return new string(new[] { digits[value >> 4], digits[value & 15], 'H' });
    }
}
