using EdgeMeter.Core.Values;
using EdgeMeter.MeterSim.Faults;
using EdgeMeter.MeterSim.Meters;
using EdgeMeter.MeterSim.Serving;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.Host.Tests.Support;

/// <summary>A simulator on a free loopback port with a frozen clock, so tests know exactly what the meters say.</summary>
internal sealed class TestSimulator : IDisposable
{
    private TestSimulator(SimulatorHost host, FrozenClock clock)
    {
        Host = host;
        Clock = clock;
    }

    public SimulatorHost Host { get; }

    public FrozenClock Clock { get; }

    public MeterSimulator Simulator => Host.Simulator;

    /// <summary>The link to pass to --link.</summary>
    public string Link => Host.Link.ToString();

    /// <summary>With <paramref name="modbusTcp"/> the simulator is a Modbus TCP server (modbus-tcp://127.0.0.1:PORT).</summary>
    public static TestSimulator Start(string[]? meters = null, string[]? faults = null, int seed = 1, bool modbusTcp = false)
    {
        var clock = new FrozenClock();
        var options = new SimulatorOptions
        {
            Meters = meters == null ? SimulatorOptions.DefaultMeters : meters.Select(MeterSpec.Parse).ToList(),
            Faults = (faults ?? []).Select(SimulatorFault.Parse).ToList(),
            Seed = seed,
            Clock = clock,
        };
        return new TestSimulator(SimulatorHost.StartTcp(new MeterSimulator(options), modbusTcp: modbusTcp), clock);
    }

    /// <summary>What a served meter reports for a quantity right now.</summary>
    public FixedDecimal Value(string meter, Quantity quantity) => Simulator.Model(MeterSpec.Parse(meter)).Value(quantity, Clock.UtcNow);

    public void Dispose() => Host.Dispose();
}
