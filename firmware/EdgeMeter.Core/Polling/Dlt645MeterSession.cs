using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Polling;

/// <summary>A DL/T 645 meter: one read request per data identifier.</summary>
public sealed class Dlt645MeterSession : MeterSession, IMeterRequest
{
    private readonly Dlt645Master _master;
    private readonly Dlt645Address _address;
    private readonly Dlt645Version _version;
    private readonly uint[] _dataIdentifiers;
    private readonly int _timeoutMilliseconds;
    private FixedDecimal _value;

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

    /// <summary>Meter clock minus gateway local time at the last time sync, in seconds (0 until measured).</summary>
    public long ClockDriftSeconds { get; set; }

    public override bool Poll(IPointSink sink)
    {
        var anyRead = false;
        for (var point = 0; point < _dataIdentifiers.Length; point++)
        {
            var status = Attempt(this, point);
            anyRead |= status == ReadStatus.Ok;
            sink.Accept(this, point, status, _value);
        }

        return anyRead;
    }

    ReadStatus IMeterRequest.Run(int point)
    {
        _master.Version = _version;
        _master.TimeoutMilliseconds = _timeoutMilliseconds;
        return _master.Read(_address, _dataIdentifiers[point], out _value);
    }
}
