namespace EdgeMeter.Core.Protocol.Cjt188;

/// <summary>The configuration's names of the <see cref="Cjt188Field"/>s, and which meters have each.</summary>
public static class Cjt188FieldNames
{
    /// <summary>In the order of <see cref="Cjt188Field"/>.</summary>
    public static readonly string[] Names =
    {
        "total", "settlement-total", "settlement-heat", "heat", "power", "flow-rate", "volume",
        "supply-temperature", "return-temperature", "working-hours",
    };

    public static bool TryParse(string name, out Cjt188Field field)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (Names[i] == name)
            {
                field = (Cjt188Field)i;
                return true;
            }
        }

        field = Cjt188Field.Total;
        return false;
    }

    /// <summary>Water and gas meters report total and settlement-total; heat meters the rest.</summary>
    public static bool BelongsTo(Cjt188Field field, byte meterType) =>
        Cjt188MeterType.IsHeat(meterType) == (field != Cjt188Field.Total && field != Cjt188Field.SettlementTotal);
}
