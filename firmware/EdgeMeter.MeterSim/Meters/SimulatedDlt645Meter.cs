using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.MeterSim.Meters;

/// <summary>
/// A simulated DL/T 645 meter: an address, an edition, the physics of <see cref="SimulatedMeter"/> and a clock of
/// its own that runs a little off (as meter clocks do) until a broadcast time sets it.
/// </summary>
public sealed class SimulatedDlt645Meter
{
    private readonly TimeSpan _utcOffset;
    private readonly byte[] _addressBytes = new byte[Dlt645Address.Length];

    public SimulatedDlt645Meter(MeterSpec spec, SimulatedMeter model, TimeSpan utcOffset, TimeSpan clockError)
    {
        if (!spec.IsDlt645)
        {
            throw new ArgumentException("not a DL/T 645 meter", nameof(spec));
        }

        Spec = spec;
        Model = model;
        _utcOffset = utcOffset;
        ClockError = clockError;
        spec.Address.WriteTo(_addressBytes, 0);
    }

    public MeterSpec Spec { get; }

    public Dlt645Address Address => Spec.Address;

    public Dlt645Version Version => Spec.Dlt645Version;

    public SimulatedMeter Model { get; }

    /// <summary>How far the meter's clock is ahead of true local time (negative: behind).</summary>
    public TimeSpan ClockError { get; private set; }

    /// <summary>The meter's clock reading (local time, whole seconds) at true time <paramref name="utc"/>.</summary>
    public DateTime LocalTime(DateTime utc)
    {
        var local = utc + _utcOffset + ClockError;
        return new DateTime(local.Ticks - (local.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Unspecified);
    }

    /// <summary>A broadcast time: from now on the clock reads <paramref name="localTime"/> at <paramref name="utc"/>.</summary>
    public void SetClock(DateTime localTime, DateTime utc)
    {
        ClockError = localTime - DateTime.SpecifyKind(utc + _utcOffset, DateTimeKind.Unspecified);
    }

    /// <summary>True time of the last monthly settlement: 00:00 on the 1st by the meter's clock.</summary>
    public DateTime LastSettlementUtc(DateTime utc)
    {
        var local = LocalTime(utc);
        return ToUtc(new DateTime(local.Year, local.Month, 1));
    }

    /// <summary>True time of the daily freeze <paramref name="timesBack"/> (1 = the latest 00:00 by the meter's clock).</summary>
    public DateTime DailyFreezeUtc(DateTime utc, int timesBack) => ToUtc(LocalTime(utc).Date.AddDays(1 - timesBack));

    /// <summary>
    /// Whether a request to <paramref name="requestAddress"/> is for this meter: every byte equal, or AA
    /// (DL/T 645-2007 lets a master abbreviate an address with AA bytes; AA x 6 reaches any meter).
    /// </summary>
    public bool IsAddressedBy(Dlt645Address requestAddress)
    {
        var wanted = new byte[Dlt645Address.Length];
        requestAddress.WriteTo(wanted, 0);
        for (var i = 0; i < wanted.Length; i++)
        {
            if (wanted[i] != 0xAA && wanted[i] != _addressBytes[i])
            {
                return false;
            }
        }

        return true;
    }

    private DateTime ToUtc(DateTime meterLocal) =>
        DateTime.SpecifyKind(meterLocal - ClockError - _utcOffset, DateTimeKind.Utc);
}
