using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Polling;

/// <summary>
/// Keeps DL/T 645 meter clocks right: reads each meter's clock to measure its drift (reported in the status),
/// then broadcasts the gateway's local time to the bus in each byte order its meters use. Runs on the bus thread.
/// Skipped while the gateway clock itself is not synchronized: a 1970 clock must never be pushed to meters.
/// </summary>
public sealed class MeterTimeSync : IBusTask
{
    private readonly Dlt645Master _master;
    private readonly Dlt645MeterSession[] _meters;
    private readonly Dlt645TimeOrder[] _orders;
    private readonly IClock _clock;
    private readonly int _utcOffsetMinutes;

    public MeterTimeSync(Dlt645Master master, Dlt645MeterSession[] meters, Dlt645TimeOrder[] orders, IClock clock, int utcOffsetMinutes)
    {
        _master = master;
        _meters = meters;
        _orders = orders;
        _clock = clock;
        _utcOffsetMinutes = utcOffsetMinutes;
    }

    public int Broadcasts { get; private set; }

    public void Run()
    {
        if (!ReadingRecorder.IsSynchronized(_clock.UtcNow))
        {
            return;
        }

        for (var i = 0; i < _meters.Length; i++)
        {
            MeasureDrift(_meters[i]);
        }

        var sentStandard = false;
        var sentReversed = false;
        for (var i = 0; i < _orders.Length; i++)
        {
            var order = _orders[i];
            if ((order == Dlt645TimeOrder.SecondsFirst && sentStandard) || (order != Dlt645TimeOrder.SecondsFirst && sentReversed))
            {
                continue;
            }

            _master.BroadcastTimeOrder = order;
            if (_master.BroadcastTime(LocalNow()) == ReadStatus.Ok)
            {
                Broadcasts++;
            }

            sentStandard |= order == Dlt645TimeOrder.SecondsFirst;
            sentReversed |= order != Dlt645TimeOrder.SecondsFirst;
        }
    }

    private void MeasureDrift(Dlt645MeterSession meter)
    {
        _master.Version = meter.Version;
        if (_master.ReadClock(meter.Address, out var meterTime) == ReadStatus.Ok)
        {
            meter.ClockDriftSeconds = (meterTime.Ticks - LocalNow().Ticks) / System.TimeSpan.TicksPerSecond;
        }
    }

    private System.DateTime LocalNow() => _clock.UtcNow.AddMinutes(_utcOffsetMinutes);
}
