using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Polling;

/// <summary>
/// A CJ/T 188 water, gas or heat meter: one current-data read per poll gives every configured field. A value whose
/// unit is not the configured one is refused (the gateway converts nothing silently); values read while the meter
/// reports a low battery or an abnormal valve are stored with the meter-error quality.
/// </summary>
public sealed class Cjt188MeterSession : MeterSession, IMeterRequest
{
    private readonly Cjt188Master _master;
    private readonly byte _meterType;
    private readonly Cjt188Address _address;
    private readonly bool _swappedIdentifier;
    private readonly Cjt188Field[] _fields;
    private readonly string[] _units;
    private readonly int _timeoutMilliseconds;
    private readonly Cjt188CurrentData _data = new Cjt188CurrentData();

    public Cjt188MeterSession(
        int meterIndex,
        string meterId,
        Cjt188Master master,
        Cjt188Meter meter,
        Cjt188Field[] fields,
        string[] units,
        int pollSeconds,
        int timeoutMilliseconds,
        int retries,
        IClock clock)
        : base(meterIndex, meterId, pollSeconds, retries, clock)
    {
        _master = master;
        _meterType = meter.MeterType;
        _address = meter.Address;
        _swappedIdentifier = meter.SwappedIdentifier;
        _fields = fields;
        _units = units;
        _timeoutMilliseconds = timeoutMilliseconds;
    }

    public override int PointCount => _fields.Length;

    public override bool Poll(IPointSink sink)
    {
        var status = Attempt(this, 0);
        var anyRead = false;
        for (var i = 0; i < _fields.Length; i++)
        {
            if (status != ReadStatus.Ok)
            {
                sink.Accept(this, i, status, default(FixedDecimal));
            }
            else if (!_data.TryGet(_fields[i], out var value, out var unit) || unit != _units[i])
            {
                sink.Accept(this, i, ReadStatus.Malformed, default(FixedDecimal));
            }
            else if (_data.HasAlarm)
            {
                sink.AcceptAlarmed(this, i, value);
                anyRead = true;
            }
            else
            {
                sink.Accept(this, i, ReadStatus.Ok, value);
                anyRead = true;
            }
        }

        return anyRead;
    }

    ReadStatus IMeterRequest.Run(int argument)
    {
        _master.TimeoutMilliseconds = _timeoutMilliseconds;
        return _master.ReadCurrent(_meterType, _address, _swappedIdentifier, _data);
    }
}
