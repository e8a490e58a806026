using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Polling;

/// <summary>
/// A DL/T 645 meter: one read request per data identifier; with a <see cref="Backfill"/>, after an outage of more
/// than a day, also the meter's daily freezes of the days missed (freeze time and frozen forward active energy).
/// </summary>
public sealed class Dlt645MeterSession : MeterSession, IMeterRequest
{
    private readonly Dlt645Master _master;
    private readonly Dlt645Address _address;
    private readonly Dlt645Version _version;
    private readonly uint[] _dataIdentifiers;
    private readonly int _timeoutMilliseconds;
    // The last value read, as two fields: on nanoFramework a FixedDecimal field is an object of its own.
    private long _valueMantissa;
    private int _valueScale;
    private uint _extraIdentifier;

    public Dlt645MeterSession(
        int meterIndex,
        string meterId,
        Dlt645Master master,
        Dlt645Address address,
        Dlt645Version version,
        uint[] dataIdentifiers,
        int pollSeconds,
        int timeoutMilliseconds,
        int retries,
        IClock clock)
        : base(meterIndex, meterId, pollSeconds, retries, clock)
    {
        _master = master;
        _address = address;
        _version = version;
        _dataIdentifiers = dataIdentifiers;
        _timeoutMilliseconds = timeoutMilliseconds;
    }

    public override int PointCount => _dataIdentifiers.Length;

    public Dlt645Address Address => _address;

    public Dlt645Version Version => _version;

    /// <summary>Reads the missed daily freezes back into <see cref="FrozenEnergyPoint"/>; null: never.</summary>
    public FrozenDayBackfill? Backfill { get; set; }

    /// <summary>The point reading forward active energy total (00010000), which the frozen energy continues.</summary>
    public int FrozenEnergyPoint { get; set; } = -1;

    /// <summary>Meter clock minus gateway local time at the last time sync, in seconds (0 until measured).</summary>
    public long ClockDriftSeconds { get; set; }

    public override bool Poll(IPointSink sink)
    {
        var anyRead = false;
        var energyRead = false;
        for (var point = 0; point < _dataIdentifiers.Length; point++)
        {
            var status = Attempt(this, point);
            anyRead |= status == ReadStatus.Ok;
            energyRead |= status == ReadStatus.Ok && point == FrozenEnergyPoint;
            sink.Accept(this, point, status, LastValue);
        }

        if (energyRead && Backfill != null)
        {
            ReadMissedFreezes(Backfill, sink);
        }

        return anyRead;
    }

    /// <summary>Freezes 1, 2, ... days back, while they fall after the last day the meter answered.</summary>
    private void ReadMissedFreezes(FrozenDayBackfill backfill, IPointSink sink)
    {
        var days = backfill.Answered(MeterIndex, out var lastDay);
        for (var back = 0; back < days; back++)
        {
            if (Read((uint)(Dlt645Catalogue.DailyFreezeTime + back)) != ReadStatus.Ok
                || !backfill.TryFreezeTime(LastValue, out var frozeAt, out var frozeOn) || frozeOn <= lastDay)
            {
                return;
            }

            if (Read((uint)(Dlt645Catalogue.DailyFrozenForwardActiveEnergy + back)) != ReadStatus.Ok)
            {
                return;
            }

            sink.AcceptFrozen(this, FrozenEnergyPoint, frozeAt, LastValue);
        }
    }

    private ReadStatus Read(uint dataIdentifier)
    {
        _extraIdentifier = dataIdentifier;
        return Attempt(this, -1);
    }

    ReadStatus IMeterRequest.Run(int point)
    {
        _master.Version = _version;
        _master.TimeoutMilliseconds = _timeoutMilliseconds;
        var status = _master.Read(_address, point < 0 ? _extraIdentifier : _dataIdentifiers[point], out var value);
        _valueMantissa = value.Mantissa;
        _valueScale = value.Scale;
        return status;
    }

    private FixedDecimal LastValue => new FixedDecimal(_valueMantissa, _valueScale);
}
