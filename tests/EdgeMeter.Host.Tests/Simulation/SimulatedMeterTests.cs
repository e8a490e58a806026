using EdgeMeter.Core.Values;
using EdgeMeter.MeterSim.Meters;

namespace EdgeMeter.Host.Tests.Simulation;

public class SimulatedMeterTests
{
    private static readonly DateTime Start = new(2026, 11, 26, 8, 0, 0, DateTimeKind.Utc);

    private static double D(FixedDecimal value) => value.Mantissa / Math.Pow(10, value.Scale);

    [Fact]
    public void Energy_never_decreases_and_tariffs_sum_to_the_total()
    {
        var meter = new SimulatedMeter(7);
        var previous = long.MinValue;
        for (var second = 0; second < 4 * 3600; second += 17)
        {
            var at = Start.AddSeconds(second);
            var total = meter.Value(Quantity.ForwardActiveEnergy, at);
            Assert.True(total.Mantissa >= previous, $"energy went down at {at:O}");
            previous = total.Mantissa;
            var sum = meter.Value(Quantity.ForwardActiveEnergyTariff1, at).Mantissa
                + meter.Value(Quantity.ForwardActiveEnergyTariff2, at).Mantissa
                + meter.Value(Quantity.ForwardActiveEnergyTariff3, at).Mantissa
                + meter.Value(Quantity.ForwardActiveEnergyTariff4, at).Mantissa;
            Assert.Equal(total.Mantissa, sum);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(99)]
    public void Power_is_voltage_times_current_times_power_factor(int seed)
    {
        var meter = new SimulatedMeter(seed);
        var voltage = D(meter.Value(Quantity.VoltageA, Start));
        var current = D(meter.Value(Quantity.CurrentA, Start));
        var pf = D(meter.Value(Quantity.PowerFactorA, Start));
        var phasePower = D(meter.Value(Quantity.ActivePowerA, Start));

        Assert.InRange(voltage, 210, 230);
        Assert.InRange(pf, 0.8, 1.0);
        // Each quantity is rounded to its meter resolution (PF to 0.001), so agreement is within 0.2 %.
        Assert.InRange(voltage * current * pf / 1000 / phasePower, 0.998, 1.002);
    }

    [Fact]
    public void Energy_grows_by_the_integral_of_power()
    {
        var meter = new SimulatedMeter(3);
        var before = D(meter.Value(Quantity.ForwardActiveEnergy, Start));
        var after = D(meter.Value(Quantity.ForwardActiveEnergy, Start.AddMinutes(1)));
        var power = D(meter.Value(Quantity.ActivePowerTotal, Start.AddSeconds(30)));
        Assert.Equal(power / 60, after - before, 1);
    }
}
