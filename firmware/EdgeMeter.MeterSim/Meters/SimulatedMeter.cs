using EdgeMeter.Core.Values;

namespace EdgeMeter.MeterSim.Meters;

/// <summary>
/// The electrical state of one simulated three-phase meter as a pure function of time, so every protocol and every
/// request sees consistent values: about 220 V per phase, a load that swings ±30 % over an hour around a per-meter
/// base, P = V x I x PF per phase, and energy that is the exact integral of that power (it never decreases).
/// The same device also has a plant process, as a PLC or a utility meter sees it: a steam flow, a gas flow and a water
/// flow that swing with the load, their totals the exact integrals of those flows, and the heat the steam carries.
/// </summary>
public sealed class SimulatedMeter
{
    private const double SwingPeriodSeconds = 3600;
    private const double Swing = 0.3;
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly double _baseKilowatts;
    private readonly double _startKilowattHours;
    private readonly double _powerFactor;
    private readonly double _phase;
    private readonly double _baseSteamTonnesPerHour;
    private readonly double _baseGasCubicMetresPerHour;
    private readonly double _baseWaterCubicMetresPerHour;
    private readonly double _startProcessTotal;

    public SimulatedMeter(int seed)
    {
        var random = new Random(seed);
        _baseKilowatts = 5 + (random.NextDouble() * 45);
        _startKilowattHours = 1000 + (random.NextDouble() * 90_000);
        _powerFactor = 0.86 + (random.NextDouble() * 0.12);
        _phase = random.NextDouble() * 2 * Math.PI;
        _baseSteamTonnesPerHour = 2 + (random.NextDouble() * 8);
        _baseGasCubicMetresPerHour = 100 + (random.NextDouble() * 500);
        _baseWaterCubicMetresPerHour = 5 + (random.NextDouble() * 25);
        _startProcessTotal = 100 + (random.NextDouble() * 9_000);
    }

    /// <summary>Heat carried by a tonne of saturated steam at about 1 MPa, above feed water: 2.8 GJ.</summary>
    public const double GigajoulesPerTonneOfSteam = 2.8;

    public FixedDecimal Value(Quantity quantity, DateTime utc)
    {
        var t = (utc - Epoch).TotalSeconds;
        return quantity switch
        {
            Quantity.CombinedActiveEnergy => Sum(Forward(t), Reverse(t)),
            Quantity.ForwardActiveEnergy => Forward(t),
            Quantity.ForwardActiveEnergyTariff1 => Tariff(Forward(t), 0),
            Quantity.ForwardActiveEnergyTariff2 => Tariff(Forward(t), 1),
            Quantity.ForwardActiveEnergyTariff3 => Tariff(Forward(t), 2),
            Quantity.ForwardActiveEnergyTariff4 => Tariff(Forward(t), 3),
            Quantity.ReverseActiveEnergy => Reverse(t),
            Quantity.ReverseActiveEnergyTariff1 => Tariff(Reverse(t), 0),
            Quantity.ReverseActiveEnergyTariff2 => Tariff(Reverse(t), 1),
            Quantity.ReverseActiveEnergyTariff3 => Tariff(Reverse(t), 2),
            Quantity.ReverseActiveEnergyTariff4 => Tariff(Reverse(t), 3),
            Quantity.ReactiveEnergy1 => Round(EnergyKilowattHours(t) * ReactiveRatio, 2),
            Quantity.ReactiveEnergy2 => Round(EnergyKilowattHours(t) * 0.01, 2),
            Quantity.VoltageA => Round(Voltage(t, 0), 1),
            Quantity.VoltageB => Round(Voltage(t, 1), 1),
            Quantity.VoltageC => Round(Voltage(t, 2), 1),
            Quantity.CurrentA => Round(Current(t, 0), 3),
            Quantity.CurrentB => Round(Current(t, 1), 3),
            Quantity.CurrentC => Round(Current(t, 2), 3),
            Quantity.NeutralCurrent => Round(Current(t, 0) * 0.05, 3),
            Quantity.ActivePowerTotal => Round(PowerKilowatts(t), 4),
            Quantity.ActivePowerA or Quantity.ActivePowerB or Quantity.ActivePowerC => Round(PowerKilowatts(t) / 3, 4),
            Quantity.ReactivePowerTotal => Round(PowerKilowatts(t) * ReactiveRatio, 4),
            Quantity.ReactivePowerA or Quantity.ReactivePowerB or Quantity.ReactivePowerC => Round(PowerKilowatts(t) / 3 * ReactiveRatio, 4),
            Quantity.ApparentPowerTotal => Round(PowerKilowatts(t) / _powerFactor, 4),
            Quantity.ApparentPowerA or Quantity.ApparentPowerB or Quantity.ApparentPowerC => Round(PowerKilowatts(t) / 3 / _powerFactor, 4),
            Quantity.ActivePowerMaxDemand => Round(_baseKilowatts * (1 + Swing), 4),
            Quantity.PowerFactorTotal or Quantity.PowerFactorA or Quantity.PowerFactorB or Quantity.PowerFactorC => Round(_powerFactor, 3),
            Quantity.Frequency => Round(50 + (0.03 * Math.Sin((t / 97) + _phase)), 2),
            Quantity.Temperature => Round(31 + (4 * Math.Sin((t / 7200) + _phase)), 1),
            Quantity.SteamFlow => Round(_baseSteamTonnesPerHour * Load(t), 3),
            Quantity.SteamTotal => Round(ProcessTotal(t, _baseSteamTonnesPerHour), 1),
            Quantity.SteamTemperature => Round(184 + (2 * Math.Sin((t / 600) + _phase)), 1),
            Quantity.SteamPressure => Round(1.0 + (0.02 * Math.Sin((t / 450) + _phase)), 3),
            Quantity.GasFlow => Round(_baseGasCubicMetresPerHour * Load(t), 2),
            Quantity.GasTotal => Round(ProcessTotal(t, _baseGasCubicMetresPerHour), 0),
            Quantity.HeatTotal => Round(ProcessTotal(t, _baseSteamTonnesPerHour) * GigajoulesPerTonneOfSteam, 2),
            Quantity.WaterFlow => Round(_baseWaterCubicMetresPerHour * Load(t), 3),
            Quantity.WaterTotal => Round(ProcessTotal(t, _baseWaterCubicMetresPerHour), 2),
            Quantity.SupplyTemperature => Round(80 + (3 * Math.Sin((t / 900) + _phase)), 2),
            Quantity.ReturnTemperature => Round(60 + (3 * Math.Sin((t / 900) + _phase)), 2),
            _ => throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "not simulated"),
        };
    }

    /// <summary>The load's swing, 0.7..1.3: the process runs with the electrical load.</summary>
    private double Load(double t) => PowerKilowatts(t) / _baseKilowatts;

    /// <summary>The exact integral of <c>rate x Load</c> since the epoch, from a per-device start: never decreases.</summary>
    private double ProcessTotal(double t, double ratePerHour) =>
        _startProcessTotal + (ratePerHour * (EnergyKilowattHours(t) - _startKilowattHours) / _baseKilowatts);

    private double ReactiveRatio => Math.Sqrt(1 - (_powerFactor * _powerFactor)) / _powerFactor;

    private double PowerKilowatts(double t) => _baseKilowatts * (1 + (Swing * Math.Sin((2 * Math.PI * t / SwingPeriodSeconds) + _phase)));

    /// <summary>The closed-form integral of <see cref="PowerKilowatts"/>: monotonic because the power is always positive.</summary>
    private double EnergyKilowattHours(double t)
    {
        var omega = 2 * Math.PI / SwingPeriodSeconds;
        var swingIntegral = Swing / omega * (Math.Cos(_phase) - Math.Cos((omega * t) + _phase));
        return _startKilowattHours + (_baseKilowatts * (t + swingIntegral) / 3600);
    }

    private double Voltage(double t, int phase) => 220 + (3 * Math.Sin((t / 300) + _phase + (phase * 2.1)));

    private double Current(double t, int phase) => PowerKilowatts(t) * 1000 / 3 / (Voltage(t, phase) * _powerFactor);

    private FixedDecimal Forward(double t) => Round(EnergyKilowattHours(t), 2);

    private FixedDecimal Reverse(double t) => Round(EnergyKilowattHours(t) * 0.001, 2);

    private static FixedDecimal Sum(FixedDecimal a, FixedDecimal b) => new(a.Mantissa + b.Mantissa, a.Scale);

    /// <summary>Tariffs 1..3 take fixed shares and tariff 4 the rest, so the four always sum to the total exactly.</summary>
    private static FixedDecimal Tariff(FixedDecimal energy, int index)
    {
        var total = energy.Mantissa;
        long[] shares = [total * 2 / 10, total * 3 / 10, total * 4 / 10];
        var mantissa = index < 3 ? shares[index] : total - shares[0] - shares[1] - shares[2];
        return new FixedDecimal(mantissa, 2);
    }

    private static FixedDecimal Round(double value, int decimals) =>
        new((long)Math.Round(value * Math.Pow(10, decimals), MidpointRounding.AwayFromZero), decimals);
}
