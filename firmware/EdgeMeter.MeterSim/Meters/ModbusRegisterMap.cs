using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Values;

namespace EdgeMeter.MeterSim.Meters;

/// <summary>
/// The register map of a simulated Modbus meter (see docs/simulator.md). Input registers (function 04) follow the
/// Eastron SDM630 family: float32, most significant word first, volts, amps, watts, kWh. Holding registers
/// (function 03) from 0x1000 are an EdgeMeter extension with integer and 64-bit types in both word orders, so
/// every point type a gateway can be configured with has something to read, plus fixed test patterns at 0x1100.
/// Holding registers from 0x2000 are a PLC's process area: steam, gas and heat of a boiler house.
/// </summary>
public sealed class ModbusRegisterMap
{
    /// <summary>Input registers served (SDM630 area); registers in it without a point read as 0.</summary>
    public const int InputFirst = 0x0000;
    public const int InputEnd = 0x0180;

    /// <summary>Holding registers served (EdgeMeter extension); registers in it without a point read as 0.</summary>
    public const int HoldingFirst = 0x1000;
    public const int HoldingEnd = 0x1130;

    /// <summary>Holding registers of the process area, laid out as a PLC or DCS exposes a boiler house (steam, gas, heat).</summary>
    public const int ProcessFirst = 0x2000;
    public const int ProcessEnd = 0x2020;

    private const ModbusFunction Input = ModbusFunction.ReadInputRegisters;
    private const ModbusFunction Holding = ModbusFunction.ReadHoldingRegisters;
    private const ModbusWordOrder Big = ModbusWordOrder.BigEndian;
    private const ModbusWordOrder Little = ModbusWordOrder.LittleEndian;

    private ModbusRegisterMap(IReadOnlyList<ModbusMapPoint> points)
    {
        Points = points;
    }

    /// <summary>The map every simulated Modbus meter serves.</summary>
    public static ModbusRegisterMap Standard { get; } = new(BuildStandard());

    public IReadOnlyList<ModbusMapPoint> Points { get; }

    /// <summary>The point that starts at this register with this layout, if the map has one.</summary>
    public ModbusMapPoint? Find(ModbusFunction function, int address, ModbusDataType type, ModbusWordOrder wordOrder) =>
        Points.FirstOrDefault(p => p.Function == function && p.Address == address && p.Type == type && p.WordOrder == wordOrder);

    /// <summary>
    /// Fills <c>destination[0..count)</c> with registers <c>address..address+count-1</c> read with
    /// <paramref name="function"/> at <paramref name="utc"/>. Returns the exception a meter would answer:
    /// IllegalFunction for anything but 03/04, IllegalDataAddress when the range leaves the served area.
    /// </summary>
    public ModbusExceptionCode Read(ModbusFunction function, int address, int count, SimulatedMeter model, DateTime utc, ushort[] destination)
    {
        int first, end;
        switch (function)
        {
            case Input:
                (first, end) = (InputFirst, InputEnd);
                break;
            case Holding:
                (first, end) = address >= ProcessFirst ? (ProcessFirst, ProcessEnd) : (HoldingFirst, HoldingEnd);
                break;
            default:
                return ModbusExceptionCode.IllegalFunction;
        }

        if (address < first || address + count > end)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        Array.Clear(destination, 0, count);
        var words = new ushort[4];
        foreach (var point in Points)
        {
            if (point.Function != function || point.Address >= address + count || point.Address + point.RegisterCount <= address)
            {
                continue;
            }

            if (ModbusValueCodec.Encode(point.Point, point.Value(model, utc), words, 0) != ModbusValueStatus.Ok)
            {
                Array.Clear(words);
            }

            for (var i = 0; i < point.RegisterCount; i++)
            {
                var register = point.Address + i;
                if (register >= address && register < address + count)
                {
                    destination[register - address] = words[i];
                }
            }
        }

        return ModbusExceptionCode.None;
    }

    private static List<ModbusMapPoint> BuildStandard()
    {
        var points = new List<ModbusMapPoint>();

        void Sdm(int address, string name, string unit, int decimals, Quantity quantity, int unitPower10 = 0) =>
            points.Add(ModbusMapPoint.Live(Input, address, ModbusDataType.Float32, Big, 0, decimals, name, unit, quantity, unitPower10));

        void Ext(int address, ModbusDataType type, ModbusWordOrder order, int power10, string name, string unit, Quantity quantity, int unitPower10 = 0) =>
            points.Add(ModbusMapPoint.Live(Holding, address, type, order, power10, 0, name, unit, quantity, unitPower10));

        void ExtFloat(int address, ModbusDataType type, ModbusWordOrder order, int decimals, string name, string unit, Quantity quantity) =>
            points.Add(ModbusMapPoint.Live(Holding, address, type, order, 0, decimals, name, unit, quantity, 0));

        void Pattern(int address, ModbusDataType type, ModbusWordOrder order, string value, int decimals = 0) =>
            points.Add(ModbusMapPoint.Constant(Holding, address, type, order, decimals, $"test pattern {type.ToString().ToLowerInvariant()} {(order == Big ? "big" : "little")}", value));

        // Eastron SDM630 input registers (30001 = 0x0000), float32, big-endian word order.
        Sdm(0x0000, "Phase 1 line to neutral voltage", "V", 1, Quantity.VoltageA);
        Sdm(0x0002, "Phase 2 line to neutral voltage", "V", 1, Quantity.VoltageB);
        Sdm(0x0004, "Phase 3 line to neutral voltage", "V", 1, Quantity.VoltageC);
        Sdm(0x0006, "Phase 1 current", "A", 3, Quantity.CurrentA);
        Sdm(0x0008, "Phase 2 current", "A", 3, Quantity.CurrentB);
        Sdm(0x000A, "Phase 3 current", "A", 3, Quantity.CurrentC);
        Sdm(0x000C, "Phase 1 active power", "W", 1, Quantity.ActivePowerA, 3);
        Sdm(0x000E, "Phase 2 active power", "W", 1, Quantity.ActivePowerB, 3);
        Sdm(0x0010, "Phase 3 active power", "W", 1, Quantity.ActivePowerC, 3);
        Sdm(0x0012, "Phase 1 apparent power", "VA", 1, Quantity.ApparentPowerA, 3);
        Sdm(0x0014, "Phase 2 apparent power", "VA", 1, Quantity.ApparentPowerB, 3);
        Sdm(0x0016, "Phase 3 apparent power", "VA", 1, Quantity.ApparentPowerC, 3);
        Sdm(0x0018, "Phase 1 reactive power", "var", 1, Quantity.ReactivePowerA, 3);
        Sdm(0x001A, "Phase 2 reactive power", "var", 1, Quantity.ReactivePowerB, 3);
        Sdm(0x001C, "Phase 3 reactive power", "var", 1, Quantity.ReactivePowerC, 3);
        Sdm(0x001E, "Phase 1 power factor", string.Empty, 3, Quantity.PowerFactorA);
        Sdm(0x0020, "Phase 2 power factor", string.Empty, 3, Quantity.PowerFactorB);
        Sdm(0x0022, "Phase 3 power factor", string.Empty, 3, Quantity.PowerFactorC);
        Sdm(0x0034, "Total system power", "W", 1, Quantity.ActivePowerTotal, 3);
        Sdm(0x0038, "Total system apparent power", "VA", 1, Quantity.ApparentPowerTotal, 3);
        Sdm(0x003C, "Total system reactive power", "var", 1, Quantity.ReactivePowerTotal, 3);
        Sdm(0x003E, "Total system power factor", string.Empty, 3, Quantity.PowerFactorTotal);
        Sdm(0x0046, "Frequency of supply voltages", "Hz", 2, Quantity.Frequency);
        Sdm(0x0048, "Import active energy", "kWh", 2, Quantity.ForwardActiveEnergy);
        Sdm(0x004A, "Export active energy", "kWh", 2, Quantity.ReverseActiveEnergy);
        Sdm(0x004C, "Import reactive energy", "kvarh", 2, Quantity.ReactiveEnergy1);
        Sdm(0x004E, "Export reactive energy", "kvarh", 2, Quantity.ReactiveEnergy2);
        Sdm(0x0056, "Maximum total system power demand", "W", 1, Quantity.ActivePowerMaxDemand, 3);
        Sdm(0x00E0, "Neutral current", "A", 3, Quantity.NeutralCurrent);
        Sdm(0x0156, "Total active energy", "kWh", 2, Quantity.CombinedActiveEnergy);

        // EdgeMeter extension: holding registers, every integer type and both word orders.
        Ext(0x1000, ModbusDataType.UInt32, Big, -2, "Forward active energy", "kWh", Quantity.ForwardActiveEnergy);
        Ext(0x1002, ModbusDataType.UInt32, Little, -2, "Forward active energy", "kWh", Quantity.ForwardActiveEnergy);
        Ext(0x1004, ModbusDataType.UInt16, Big, -1, "Phase A voltage", "V", Quantity.VoltageA);
        Ext(0x1005, ModbusDataType.Int16, Big, -2, "Phase A current", "A", Quantity.CurrentA);
        Ext(0x1006, ModbusDataType.Int32, Big, 0, "Total active power", "W", Quantity.ActivePowerTotal, 3);
        Ext(0x1008, ModbusDataType.Int32, Little, 0, "Total active power", "W", Quantity.ActivePowerTotal, 3);
        Ext(0x100A, ModbusDataType.Int16, Big, -3, "Total power factor", string.Empty, Quantity.PowerFactorTotal);
        Ext(0x100B, ModbusDataType.UInt16, Big, -2, "Frequency", "Hz", Quantity.Frequency);
        Ext(0x100C, ModbusDataType.Int16, Big, -1, "Meter temperature", "degC", Quantity.Temperature);
        Ext(0x100E, ModbusDataType.Int64, Big, -3, "Forward active energy", "kWh", Quantity.ForwardActiveEnergy);
        Ext(0x1012, ModbusDataType.Int64, Little, -3, "Forward active energy", "kWh", Quantity.ForwardActiveEnergy);
        Ext(0x1016, ModbusDataType.UInt64, Big, -3, "Reverse active energy", "kWh", Quantity.ReverseActiveEnergy);
        Ext(0x101A, ModbusDataType.UInt64, Little, -3, "Reverse active energy", "kWh", Quantity.ReverseActiveEnergy);
        ExtFloat(0x101E, ModbusDataType.Float64, Big, 4, "Total active power", "kW", Quantity.ActivePowerTotal);
        ExtFloat(0x1022, ModbusDataType.Float64, Little, 4, "Total active power", "kW", Quantity.ActivePowerTotal);
        ExtFloat(0x1026, ModbusDataType.Float32, Little, 1, "Phase A voltage", "V", Quantity.VoltageA);

        // Fixed test patterns: known values of every type, for interoperability checks.
        Pattern(0x1100, ModbusDataType.Int16, Big, "-12345");
        Pattern(0x1101, ModbusDataType.UInt16, Big, "54321");
        Pattern(0x1102, ModbusDataType.Int32, Big, "-123456789");
        Pattern(0x1104, ModbusDataType.Int32, Little, "-123456789");
        Pattern(0x1106, ModbusDataType.UInt32, Big, "3456789012");
        Pattern(0x1108, ModbusDataType.UInt32, Little, "3456789012");
        Pattern(0x110A, ModbusDataType.Float32, Big, "-1234.5", 1);
        Pattern(0x110C, ModbusDataType.Float32, Little, "-1234.5", 1);
        Pattern(0x110E, ModbusDataType.Int64, Big, "-123456789012345678");
        Pattern(0x1112, ModbusDataType.Int64, Little, "-123456789012345678");
        Pattern(0x1116, ModbusDataType.UInt64, Big, "876543210987654321");
        Pattern(0x111A, ModbusDataType.UInt64, Little, "876543210987654321");
        Pattern(0x111E, ModbusDataType.Float64, Big, "-98765.4321", 4);
        Pattern(0x1122, ModbusDataType.Float64, Little, "-98765.4321", 4);
        // A PLC's process area (0x2000..): flows and conditions as float32, totals as scaled uint32, the way boiler
        // house controllers commonly expose them (docs/simulator.md).
        void Plc(int address, ModbusDataType type, int power10, int decimals, string name, string unit, Quantity quantity) =>
            points.Add(ModbusMapPoint.Live(Holding, address, type, Big, power10, decimals, name, unit, quantity, 0));

        Plc(0x2000, ModbusDataType.Float32, 0, 3, "Steam flow", "t/h", Quantity.SteamFlow);
        Plc(0x2002, ModbusDataType.UInt32, -1, 0, "Steam total", "t", Quantity.SteamTotal);
        Plc(0x2004, ModbusDataType.Float32, 0, 1, "Steam temperature", "degC", Quantity.SteamTemperature);
        Plc(0x2006, ModbusDataType.Float32, 0, 3, "Steam pressure", "MPa", Quantity.SteamPressure);
        Plc(0x2008, ModbusDataType.Float32, 0, 2, "Natural gas flow", "m3/h", Quantity.GasFlow);
        Plc(0x200A, ModbusDataType.UInt32, 0, 0, "Natural gas total", "m3", Quantity.GasTotal);
        Plc(0x200C, ModbusDataType.UInt32, -2, 0, "Heat total", "GJ", Quantity.HeatTotal);
        Plc(0x200E, ModbusDataType.Float32, 0, 3, "Water flow", "m3/h", Quantity.WaterFlow);
        Plc(0x2010, ModbusDataType.UInt32, -2, 0, "Water total", "m3", Quantity.WaterTotal);
        return points;
    }
}

/// <summary>One value in a <see cref="ModbusRegisterMap"/>: where it is, its layout, and what it measures.</summary>
public sealed class ModbusMapPoint
{
    private readonly Quantity? _quantity;
    private readonly int _unitPower10;
    private readonly FixedDecimal _constant;

    private ModbusMapPoint(ModbusPoint point, string name, Quantity? quantity, int unitPower10, FixedDecimal constant)
    {
        Point = point;
        Name = name;
        _quantity = quantity;
        _unitPower10 = unitPower10;
        _constant = constant;
    }

    /// <summary>The layout as the core's codec takes it (unit id 1; the map is the same for every unit).</summary>
    public ModbusPoint Point { get; }

    public string Name { get; }

    public ModbusFunction Function => Point.Function;

    public int Address => Point.Address;

    public ModbusDataType Type => Point.Type;

    public ModbusWordOrder WordOrder => Point.WordOrder;

    public int RegisterCount => Point.RegisterCount;

    public string Unit => Point.UnitOfMeasure;

    /// <summary>
    /// Decimals of the value as a gateway should configure the point: for integer registers the power of ten
    /// (-power10), for floats the resolution of the measured quantity.
    /// </summary>
    public int Decimals => Point.ValueScale;

    /// <summary>A quantity of the meter's physics; <c>null</c> for a fixed test pattern.</summary>
    public Quantity? Quantity => _quantity;

    /// <summary>The engineering value at <paramref name="utc"/>, in <see cref="Unit"/>.</summary>
    public FixedDecimal Value(SimulatedMeter model, DateTime utc) =>
        _quantity is { } quantity ? ShiftDecimalPoint(model.Value(quantity, utc), _unitPower10) : _constant;

    internal static ModbusMapPoint Live(
        ModbusFunction function, int address, ModbusDataType type, ModbusWordOrder order, int power10, int decimals,
        string name, string unit, Quantity quantity, int unitPower10) =>
        new(new ModbusPoint(name, 1, function, address, type, order, power10, decimals, unit), name, quantity, unitPower10, default);

    internal static ModbusMapPoint Constant(
        ModbusFunction function, int address, ModbusDataType type, ModbusWordOrder order, int decimals, string name, string value)
    {
        if (!FixedDecimal.TryParse(value, out var constant))
        {
            throw new ArgumentException($"bad constant {value}", nameof(value));
        }

        return new(new ModbusPoint(name, 1, function, address, type, order, 0, decimals, string.Empty), name, null, 0, constant);
    }

    /// <summary>value x 10^power10, exactly (kW to W is +3).</summary>
    private static FixedDecimal ShiftDecimalPoint(FixedDecimal value, int power10)
    {
        if (power10 <= value.Scale)
        {
            return new FixedDecimal(value.Mantissa, value.Scale - power10);
        }

        var mantissa = value.Mantissa;
        for (var i = value.Scale; i < power10; i++)
        {
            mantissa *= 10;
        }

        return new FixedDecimal(mantissa, 0);
    }
}
