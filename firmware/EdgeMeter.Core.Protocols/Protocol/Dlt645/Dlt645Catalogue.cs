namespace EdgeMeter.Core.Protocol.Dlt645;

/// <summary>
/// The data identifiers EdgeMeter knows, with their formats (DL/T 645-2007 appendix A and the 1997 table).
/// Lookups scan a static array and allocate nothing.
/// </summary>
public static class Dlt645Catalogue
{
    /// <summary>1997 meter number (C032), also what a 1997 "read address" asks for with the wildcard address.</summary>
    public const uint MeterNumber1997 = 0xC032;

    /// <summary>2007 date and weekday, YYMMDDWW.</summary>
    public const uint Date2007 = 0x04000101;

    /// <summary>2007 time of day, hhmmss.</summary>
    public const uint Time2007 = 0x04000102;

    /// <summary>1997 date and weekday, YYMMDDWW.</summary>
    public const uint Date1997 = 0xC010;

    /// <summary>1997 time of day, hhmmss.</summary>
    public const uint Time1997 = 0xC011;

    /// <summary>First of the 62 daily frozen forward active energy blocks (05 06 01 01 = one day back).</summary>
    public const uint DailyFrozenForwardActiveEnergy = 0x05060101;

    /// <summary>2007 forward active energy total (kWh): the register the daily freezes keep.</summary>
    public const uint ForwardActiveEnergyTotal = 0x00010000;

    /// <summary>First of the 62 daily freeze times, YYMMDDhhmm local (05 06 00 01 = one day back).</summary>
    public const uint DailyFreezeTime = 0x05060001;

    /// <summary>Daily frozen records a 2007 meter keeps (DI0 01..3E).</summary>
    public const int DailyFrozenDays = 62;

    private const Dlt645Version V2007 = Dlt645Version.V2007;
    private const Dlt645Version V1997 = Dlt645Version.V1997;

    // Built on first use, not by a static initializer: building names strings, which must not run before mscorlib's
    // own static constructors (tests/EdgeMeter.Core.Tests/DeviceRules). A race builds it twice; either copy is right.
    private static Dlt645DataItem[]? _items;

    private static Dlt645DataItem[] Items => _items ??= Build();

    /// <summary>Number of entries, for listing with <see cref="Get"/>.</summary>
    public static int Count => Items.Length;

    /// <summary>Entry <paramref name="index"/> (0..Count-1), in catalogue order.</summary>
    public static Dlt645DataItem Get(int index) => Items[index];

    /// <summary>The entry for a DI of a protocol version, or null when it is not catalogued.</summary>
    public static Dlt645DataItem? Find(uint dataIdentifier, Dlt645Version version)
    {
        var items = Items;
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            if (item.DataIdentifier == dataIdentifier && item.Version == version)
            {
                return item;
            }
        }

        return null;
    }

    private static Dlt645DataItem[] Build()
    {
        var items = new Dlt645DataItem[224];
        var n = 0;

        items[n++] = Energy(0x00000000, "Combined active energy total", "kWh", true);
        items[n++] = Energy(ForwardActiveEnergyTotal, "Forward active energy total", "kWh", false);
        items[n++] = Energy(0x00010100, "Forward active energy tariff 1", "kWh", false);
        items[n++] = Energy(0x00010200, "Forward active energy tariff 2", "kWh", false);
        items[n++] = Energy(0x00010300, "Forward active energy tariff 3", "kWh", false);
        items[n++] = Energy(0x00010400, "Forward active energy tariff 4", "kWh", false);
        items[n++] = Block(0x0001FF00, "Forward active energy total and tariffs", "kWh", 5, 4, 2, false);
        items[n++] = Energy(0x00010001, "Forward active energy total, last settlement", "kWh", false);
        items[n++] = Energy(0x00020000, "Reverse active energy total", "kWh", false);
        items[n++] = Energy(0x00020100, "Reverse active energy tariff 1", "kWh", false);
        items[n++] = Energy(0x00020200, "Reverse active energy tariff 2", "kWh", false);
        items[n++] = Energy(0x00020300, "Reverse active energy tariff 3", "kWh", false);
        items[n++] = Energy(0x00020400, "Reverse active energy tariff 4", "kWh", false);
        items[n++] = Block(0x0002FF00, "Reverse active energy total and tariffs", "kWh", 5, 4, 2, false);
        items[n++] = Energy(0x00030000, "Combined reactive energy 1 total", "kvarh", true);
        items[n++] = Energy(0x00040000, "Combined reactive energy 2 total", "kvarh", true);

        n = AddPhases(items, n, 0x02010000, "voltage", "V", 2, 1, false, false);
        n = AddPhases(items, n, 0x02020000, "current", "A", 3, 3, true, false);
        n = AddPhases(items, n, 0x02030000, "active power", "kW", 3, 4, true, true);
        n = AddPhases(items, n, 0x02040000, "reactive power", "kvar", 3, 4, true, true);
        n = AddPhases(items, n, 0x02050000, "apparent power", "kVA", 3, 4, true, true);
        n = AddPhases(items, n, 0x02060000, "power factor", "", 2, 3, true, true);

        items[n++] = Number(0x02800001, V2007, "Neutral current", "A", 3, 3, false);
        items[n++] = Number(0x02800002, V2007, "Grid frequency", "Hz", 2, 2, false);
        items[n++] = Number(0x02800007, V2007, "Meter temperature", "degC", 2, 1, true);
        items[n++] = Other(Date2007, V2007, Dlt645DataKind.Date, 4, "Date and weekday");
        items[n++] = Other(Time2007, V2007, Dlt645DataKind.Time, 3, "Time");
        items[n++] = Other(0x04000401, V2007, Dlt645DataKind.Address, 6, "Communication address");
        items[n++] = Other(0x04000402, V2007, Dlt645DataKind.Address, 6, "Meter number");

        for (var day = 1; day <= DailyFrozenDays; day++)
        {
            // YYMMDDhhmm in BCD, low byte first: read as a 10-digit number (2610310000 = 2026-10-31 00:00).
            items[n++] = Number((uint)(DailyFreezeTime + day - 1), V2007, "Daily freeze time (YYMMDDhhmm), " + day + " days back", "", 5, 0, false);
            items[n++] = Block(
                (uint)(DailyFrozenForwardActiveEnergy + day - 1),
                day == 1 ? "Daily frozen forward active energy, 1 day back" : $"Daily frozen forward active energy, {day} days back",
                "kWh",
                5,
                4,
                2,
                false);
        }

        items[n++] = Number(0x9010, V1997, "Forward active energy total", "kWh", 4, 2, false);
        items[n++] = Number(0x9011, V1997, "Forward active energy tariff 1", "kWh", 4, 2, false);
        items[n++] = Number(0x9012, V1997, "Forward active energy tariff 2", "kWh", 4, 2, false);
        items[n++] = Number(0x9013, V1997, "Forward active energy tariff 3", "kWh", 4, 2, false);
        items[n++] = Number(0x9014, V1997, "Forward active energy tariff 4", "kWh", 4, 2, false);
        items[n++] = Number(0x9410, V1997, "Forward active energy total, last month", "kWh", 4, 2, false);
        items[n++] = Number(0xA010, V1997, "Forward active max demand", "kW", 3, 4, false);
        items[n++] = Number(0xB611, V1997, "Phase A voltage", "V", 2, 0, false);
        items[n++] = Number(0xB612, V1997, "Phase B voltage", "V", 2, 0, false);
        items[n++] = Number(0xB613, V1997, "Phase C voltage", "V", 2, 0, false);
        items[n++] = Number(0xB621, V1997, "Phase A current", "A", 2, 2, false);
        items[n++] = Number(0xB622, V1997, "Phase B current", "A", 2, 2, false);
        items[n++] = Number(0xB623, V1997, "Phase C current", "A", 2, 2, false);
        items[n++] = Number(0xB630, V1997, "Active power total", "kW", 3, 4, false);
        items[n++] = Number(0xB640, V1997, "Reactive power total", "kvar", 2, 2, false);
        items[n++] = Number(0xB650, V1997, "Power factor total", "", 2, 3, false);
        items[n++] = Other(Date1997, V1997, Dlt645DataKind.Date, 4, "Date and weekday");
        items[n++] = Other(Time1997, V1997, Dlt645DataKind.Time, 3, "Time");
        items[n++] = Other(MeterNumber1997, V1997, Dlt645DataKind.Address, 6, "Meter number");

        var result = new Dlt645DataItem[n];
        System.Array.Copy(items, result, n);
        return result;
    }

    // Phases A, B, C (DI1 01..03); with a total (DI1 00) for powers; plus the FF block of all of them.
    private static int AddPhases(
        Dlt645DataItem[] items,
        int n,
        uint baseIdentifier,
        string quantity,
        string unit,
        int length,
        int decimals,
        bool signed,
        bool hasTotal)
    {
        if (hasTotal)
        {
            items[n++] = Number(baseIdentifier, V2007, Capitalize(quantity) + " total", unit, length, decimals, signed);
        }

        items[n++] = Number(baseIdentifier | 0x0100, V2007, "Phase A " + quantity, unit, length, decimals, signed);
        items[n++] = Number(baseIdentifier | 0x0200, V2007, "Phase B " + quantity, unit, length, decimals, signed);
        items[n++] = Number(baseIdentifier | 0x0300, V2007, "Phase C " + quantity, unit, length, decimals, signed);
        var name = Capitalize(quantity) + (hasTotal ? " total and phases" : " phases A, B, C");
        items[n++] = Block(baseIdentifier | 0xFF00, name, unit, hasTotal ? 4 : 3, length, decimals, signed);
        return n;
    }

    // The quantities passed in are lower-case ASCII.
    private static string Capitalize(string text) => (char)(text[0] - 'a' + 'A') + text.Substring(1);

    private static Dlt645DataItem Energy(uint di, string name, string unit, bool signed) =>
        Number(di, V2007, name, unit, 4, 2, signed);

    private static Dlt645DataItem Number(
        uint di,
        Dlt645Version version,
        string name,
        string unit,
        int length,
        int decimals,
        bool signed) =>
        new Dlt645DataItem(di, version, Dlt645DataKind.Numeric, length, decimals, signed, unit, name);

    private static Dlt645DataItem Block(
        uint di,
        string name,
        string unit,
        int elements,
        int elementLength,
        int decimals,
        bool signed) =>
        new Dlt645DataItem(
            di, V2007, Dlt645DataKind.Block, elements * elementLength, decimals, signed, unit, name, elementLength);

    private static Dlt645DataItem Other(uint di, Dlt645Version version, Dlt645DataKind kind, int length, string name) =>
        new Dlt645DataItem(di, version, kind, length, 0, false, "", name);
}
