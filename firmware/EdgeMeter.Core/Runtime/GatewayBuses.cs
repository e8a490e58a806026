using System.Threading;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Runtime;

/// <summary>The configured buses (RS-485 lines and Modbus TCP servers) at work: each bus's meters (<see cref="BusMeters"/>)
/// polled by its own thread into the reading buffer.</summary>
public sealed class GatewayBuses : System.IDisposable, EdgeMeter.Core.Messages.IMeterHealthSource
{
    private readonly BusMeters _meters;
    private readonly BusPoller[] _pollers;
    private readonly ReadingRecorder[] _recorders;
    private readonly Thread[] _threads;

    public GatewayBuses(BusMeters meters, ReadingBuffer buffer, IClock clock, IReadingObserver? observer)
    {
        _meters = meters;
        var count = meters.Count;
        _pollers = new BusPoller[count];
        _recorders = new ReadingRecorder[count];
        _threads = new Thread[count];
        for (var b = 0; b < count; b++)
        {
            _recorders[b] = new ReadingRecorder(buffer, clock, observer, meters.Ratios);
            _pollers[b] = new BusPoller(meters.BusId(b), meters.Sessions(b), clock, _recorders[b]);
        }
    }

    public int Count => _pollers.Length;

    public BusPoller GetPoller(int index) => _pollers[index];

    public long ReadingsTaken
    {
        get
        {
            long taken = 0;
            for (var i = 0; i < _recorders.Length; i++)
            {
                taken += _recorders[i].Taken;
            }

            return taken;
        }
    }

    public void Start()
    {
        for (var i = 0; i < _pollers.Length; i++)
        {
            _threads[i] = new Thread(_pollers[i].Run);
            _threads[i].Start();
        }
    }

    public void Stop()
    {
        for (var i = 0; i < _pollers.Length; i++)
        {
            _pollers[i].Stop();
        }

        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i]?.Join();
        }
    }

    /// <summary>Writes every meter's health and every bus's statistics into the status.</summary>
    /// <summary>Meters on every bus.</summary>
    public int MeterCount
    {
        get
        {
            var total = 0;
            for (var b = 0; b < _pollers.Length; b++)
            {
                total += _pollers[b].MeterCount;
            }

            return total;
        }
    }

    /// <summary>Meters that stopped answering (offline after failed polls); allocates nothing.</summary>
    public int OfflineMeterCount
    {
        get
        {
            var offline = 0;
            for (var b = 0; b < _pollers.Length; b++)
            {
                for (var m = 0; m < _pollers[b].MeterCount; m++)
                {
                    if (_pollers[b].GetMeter(m).Schedule.IsOffline)
                    {
                        offline++;
                    }
                }
            }

            return offline;
        }
    }

    /// <summary>Fills the per-bus health and makes the sessions the source of the per-meter health (no copy per meter).</summary>
    public void Fill(EdgeMeter.Core.Messages.GatewayStatus status)
    {
        if (status.Buses.Length != _pollers.Length)
        {
            status.Buses = new EdgeMeter.Core.Messages.BusHealth[_pollers.Length];
            for (var b = 0; b < _pollers.Length; b++)
            {
                status.Buses[b] = new EdgeMeter.Core.Messages.BusHealth();
            }
        }

        var meterTotal = 0;
        for (var b = 0; b < _pollers.Length; b++)
        {
            var poller = _pollers[b];
            var bus = status.Buses[b];
            bus.Id = poller.BusId;

            // Summed here rather than with BusPoller.SumCounters, which allocates: a status packet allocates nothing.
            bus.Requests = 0;
            bus.Timeouts = 0;
            bus.Errors = 0;
            for (var m = 0; m < poller.MeterCount; m++)
            {
                var counters = poller.GetMeter(m).Counters;
                bus.Requests += counters.Requests;
                bus.Timeouts += counters.Timeouts;
                bus.Errors += counters.Errors;
            }

            meterTotal += poller.MeterCount;
        }

        status.MeterSource = this;
        status.MeterCount = meterTotal;
        status.BusCount = _pollers.Length;
    }

    /// <summary>Meter <paramref name="index"/>'s health, the meters numbered bus by bus.</summary>
    public void GetMeterHealth(int index, EdgeMeter.Core.Messages.MeterHealth into)
    {
        var b = 0;
        while (index >= _pollers[b].MeterCount)
        {
            index -= _pollers[b++].MeterCount;
        }

        var session = _pollers[b].GetMeter(index);
        into.Id = session.MeterId;
        into.Online = !session.Schedule.IsOffline;
        into.Requests = session.Counters.Requests;
        into.Timeouts = session.Counters.Timeouts;
        into.Errors = session.Counters.Errors;
        into.LatencyMilliseconds = session.Counters.AverageLatencyMilliseconds;
        var dlt645 = session as Dlt645MeterSession;
        into.ClockDriftSeconds = dlt645 == null ? 0 : dlt645.ClockDriftSeconds;
    }

    public void ReadNow()
    {
        for (var i = 0; i < _pollers.Length; i++)
        {
            _pollers[i].ReadNow();
        }
    }

    /// <summary>Asks each bus with time-synced DL/T 645 meters to read their clocks and broadcast the time.</summary>
    public string? SyncMeterTime()
    {
        var requested = 0;
        for (var i = 0; i < _pollers.Length; i++)
        {
            var sync = _meters.TimeSync(i);
            if (sync != null)
            {
                _pollers[i].RequestTask(sync);
                requested++;
            }
        }

        return requested == 0 ? "no DL/T 645 meter has timeSync set" : null;
    }

    public void Dispose() => _meters.Dispose();
}
