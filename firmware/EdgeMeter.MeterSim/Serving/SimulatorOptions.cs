using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Time;
using EdgeMeter.MeterSim.Faults;
using EdgeMeter.Pc.Meters;
using EdgeMeter.Pc.Time;

namespace EdgeMeter.MeterSim.Serving;

/// <summary>What a <see cref="MeterSimulator"/> serves and how it behaves on the line.</summary>
public sealed record SimulatorOptions
{
    /// <summary>The meters served when none are named: one of each kind, two Modbus units.</summary>
    public static IReadOnlyList<MeterSpec> DefaultMeters { get; } =
    [
        MeterSpec.Parse("dlt645:123456789012"),
        MeterSpec.Parse("dlt645-1997:000000001997"),
        MeterSpec.Parse("modbus:1"),
        MeterSpec.Parse("modbus:2"),
    ];

    public IReadOnlyList<MeterSpec> Meters { get; init; } = DefaultMeters;

    /// <summary>Faults in order; for each reply the first that targets its meter and wins its draw applies.</summary>
    public IReadOnlyList<SimulatorFault> Faults { get; init; } = [];

    /// <summary>Seed of the draws for faults that hit a fraction of requests (the meters' values do not depend on it).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>True time: the meters' physics and clocks follow <see cref="IClock.UtcNow"/>.</summary>
    public IClock Clock { get; init; } = PcClock.Current;

    /// <summary>The meters' local time zone (China Standard Time, UTC+8, by default).</summary>
    public TimeSpan UtcOffset { get; init; } = TimeSpan.FromHours(8);

    /// <summary>
    /// Whether DL/T 645 meter clocks start off by up to two minutes (fixed per meter), as real meter clocks
    /// drift; a broadcast time sets them right. Off: they start exact.
    /// </summary>
    public bool MeterClockErrors { get; init; } = true;

    /// <summary>Byte order expected in a DL/T 645 broadcast time (see docs/dlt645.md).</summary>
    public Dlt645TimeOrder BroadcastTimeOrder { get; init; } = Dlt645TimeOrder.SecondsFirst;

    /// <summary>Line-rate emulation: each reply waits its own transmission time at this baud rate (0: off).</summary>
    public int LineRateBaud { get; init; }

    /// <summary>Bits per character for the line-rate emulation (11 for 8E1, DL/T 645's line; 10 for 8N1).</summary>
    public int BitsPerCharacter { get; init; } = 11;

    /// <summary>The meter's turnaround: milliseconds between the end of a request and the start of its reply.</summary>
    public int TurnaroundMilliseconds { get; init; }

    /// <summary>Called with one line per request answered or dropped; null: quiet.</summary>
    public Action<string>? Log { get; init; }
}
