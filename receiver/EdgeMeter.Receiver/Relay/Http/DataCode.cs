using System.Globalization;

namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>
/// The 18-digit collected-data item code (数据采集项编码): process (2, "00" = whole plant) + process unit (2)
/// + equipment (4, "0000" = whole plant; first two digits = equipment type) + collected-data class (2, 01-10,
/// see <see cref="DataClasses"/>) + energy type (4, from the platform's dictionary) + data usage (4).
/// Instances are always valid; build them with <see cref="Compose"/> or <see cref="TryParse"/>.
/// </summary>
public readonly record struct DataCode
{
    public const int Length = 18;

    private readonly string? text;

    private DataCode(string text) => this.text = text;

    public string ProcessCode => Part(0, 2);

    public string ProcessUnitCode => Part(2, 2);

    public string EquipmentCode => Part(4, 4);

    /// <summary>The first two digits of the equipment code.</summary>
    public string EquipmentType => Part(4, 2);

    public int DataClass => int.Parse(Part(8, 2), CultureInfo.InvariantCulture);

    public string EnergyTypeCode => Part(10, 4);

    public string UsageCode => Part(14, 4);

    public bool IsWholePlant => ProcessCode == "00" && EquipmentCode == "0000";

    /// <summary>Builds the code from its parts; throws <see cref="ArgumentException"/> naming the bad part.</summary>
    public static DataCode Compose(
        string processCode, string processUnitCode, string equipmentCode, int dataClass, string energyTypeCode, string usageCode)
    {
        RequireDigits(processCode, 2, nameof(processCode));
        RequireDigits(processUnitCode, 2, nameof(processUnitCode));
        RequireDigits(equipmentCode, 4, nameof(equipmentCode));
        if (!DataClasses.IsAllowed(dataClass))
        {
            throw new ArgumentException($"dataClass {dataClass} is not 01-10", nameof(dataClass));
        }

        RequireDigits(energyTypeCode, 4, nameof(energyTypeCode));
        RequireDigits(usageCode, 4, nameof(usageCode));
        return new DataCode(string.Concat(
            processCode, processUnitCode, equipmentCode, dataClass.ToString("00", CultureInfo.InvariantCulture), energyTypeCode, usageCode));
    }

    public static DataCode Parse(string text) =>
        TryParse(text, out var code, out var problem) ? code : throw new FormatException(problem);

    public static bool TryParse(string? text, out DataCode code, out string problem)
    {
        code = default;
        problem = Validate(text) ?? string.Empty;
        if (problem.Length > 0)
        {
            return false;
        }

        code = new DataCode(text!);
        return true;
    }

    /// <summary>Null when <paramref name="text"/> is a well-formed dataCode, else "dataCode: ..." saying why not.</summary>
    public static string? Validate(string? text)
    {
        if (text is null || text.Length != Length)
        {
            return $"dataCode: '{text}' is not {Length} characters";
        }

        if (!text.All(char.IsAsciiDigit))
        {
            return $"dataCode: '{text}' is not all digits";
        }

        var dataClass = int.Parse(text.AsSpan(8, 2), CultureInfo.InvariantCulture);
        return DataClasses.IsAllowed(dataClass)
            ? null
            : $"dataCode: collected-data class '{text.Substring(8, 2)}' (characters 9-10) is not 01-10";
    }

    public override string ToString() => text ?? string.Empty;

    private string Part(int start, int length) => text is null ? string.Empty : text.Substring(start, length);

    private static void RequireDigits(string value, int length, string part)
    {
        if (value is null || value.Length != length || !value.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"{part} '{value}' is not {length} digits", part);
        }
    }
}

/// <summary>
/// The collected-data classes of characters 9-10. The public sources pair 01/05, 02/06 and 03/07 under the same
/// names without saying what tells each pair apart, so both members of a pair are kept as distinct values.
/// </summary>
public static class DataClasses
{
    public const int PrimaryEnergy = 1;
    public const int SecondaryEnergy = 2;
    public const int EnergyCarryingMedium = 3;
    public const int NonEnergyProduct = 4;
    public const int PrimaryEnergyAlternate = 5;
    public const int SecondaryEnergyAlternate = 6;
    public const int EnergyCarryingMediumAlternate = 7;
    public const int EfficiencyIndicator = 8;
    public const int BusinessIndicator = 9;
    public const int Other = 10;

    public static bool IsAllowed(int dataClass) => dataClass is >= PrimaryEnergy and <= Other;
}
