using System.Collections;
using System.Threading;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Links;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.Core.Runtime;

/// <summary>The configured buses (RS-485 lines and Modbus TCP servers): each its link, its masters, its meters, its
/// poller thread.</summary>
public sealed class GatewayBuses : System.IDisposable, EdgeMeter.Core.Messages.IMeterHealthSource
{
    private readonly IMeterLink[] _links;
    private readonly BusPoller[] _pollers;
    private readonly ReadingRecorder[] _recorders;
    private readonly MeterTimeSync?[] _timeSyncs;
    private readonly Thread[] _threads;
    private readonly FrozenDayBackfill _backfill;

    public GatewayBuses(GatewayConfig config, IGatewayPlatform platform, ReadingBuffer buffer, IReadingObserver? observer)
    {
        var count = config.Buses.Length;
        _links = new IMeterLink[count];
        _pollers = new BusPoller[count];
        _recorders = new ReadingRecorder[count];
        _timeSyncs = new MeterTimeSync?[count];
        _threads = new Thread[count];
        var planner = new ModbusBlockPlanner();
        var shared = new SharedValues();
        var ratios = new PointRatios(config.Meters);
        _backfill = new FrozenDayBackfill(platform.StateFiles, platform.Clock, config.Time.UtcOffsetMinutes, config.Meters.Length);
        for (var b = 0; b < count; b++)
        {
            var bus = config.Buses[b];
            _links[b] = platform.OpenBus(bus);
            var dlt645 = new Dlt645Master(_links[b], platform.Clock);
            var modbus = bus.IsModbusTcp
                ? (ModbusMaster)new ModbusTcpMaster(_links[b], platform.Clock) { MaxOutstanding = bus.MaxOutstanding }
                : new ModbusRtuMaster(_links[b], platform.Clock);
            var cjt188 = new Cjt188Master(_links[b], platform.Clock);
            var models = new ModbusModels(); // per bus: a shared plan's registers are filled and decoded by one thread
            var sessions = new ArrayList();
            var synced = new ArrayList();
            var orders = new ArrayList();
            for (var m = 0; m < config.Meters.Length; m++)
            {
                var meter = config.Meters[m];
                if (meter.Bus != bus.Id)
                {
                    continue;
                }

                var session = meter.IsCjt188
                    ? CreateCjt188Session(m, meter, cjt188, platform)
                    : CreateSession(m, meter, dlt645, modbus, planner, platform, _backfill, shared, models);
                session.Activity = platform.BusActivity;
                sessions.Add(session);
                if (meter.TimeSync && session is Dlt645MeterSession dltSession)
                {
                    synced.Add(dltSession);
                    orders.Add(meter.TimeByteOrder == "reversed" ? Dlt645TimeOrder.YearFirst : Dlt645TimeOrder.SecondsFirst);
                }
            }

            _recorders[b] = new ReadingRecorder(buffer, platform.Clock, observer, ratios);
            _pollers[b] = new BusPoller(bus.Id, (MeterSession[])sessions.ToArray(typeof(MeterSession)), platform.Clock, _recorders[b]);
            if (synced.Count > 0)
            {
                _timeSyncs[b] = new MeterTimeSync(
                    dlt645,
                    (Dlt645MeterSession[])synced.ToArray(typeof(Dlt645MeterSession)),
                    (Dlt645TimeOrder[])orders.ToArray(typeof(Dlt645TimeOrder)),
                    platform.Clock,
                    config.Time.UtcOffsetMinutes);
            }
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
            var sync = _timeSyncs[i];
            if (sync != null)
            {
                _pollers[i].RequestTask(sync);
                requested++;
            }
        }

        return requested == 0 ? "no DL/T 645 meter has timeSync set" : null;
    }

    public void Dispose()
    {
        for (var i = 0; i < _links.Length; i++)
        {
            var disposable = _links[i] as System.IDisposable;
            disposable?.Dispose();
        }

        _backfill.Dispose();
    }

    private static MeterSession CreateCjt188Session(int index, MeterSettings meter, Cjt188Master master, IGatewayPlatform platform)
    {
        var fields = new Cjt188Field[meter.Points.Length];
        var units = new string[meter.Points.Length];
        for (var p = 0; p < fields.Length; p++)
        {
            fields[p] = meter.Points[p].Field;
            units[p] = meter.Points[p].Unit;
        }

        Cjt188Address.TryParse(meter.Address, out var address);
        var target = new Cjt188Meter(meter.Cjt188Type, address, meter.SwappedDi);
        return new Cjt188MeterSession(index, meter.Id, master, target, fields, units, meter.PollSeconds, meter.TimeoutMs, meter.Retries, platform.Clock);
    }

    private static MeterSession CreateSession(
        int index, MeterSettings meter, Dlt645Master dlt645, ModbusMaster modbus, ModbusBlockPlanner planner, IGatewayPlatform platform, FrozenDayBackfill backfill,
        SharedValues shared, ModbusModels models)
    {
        if (meter.IsDlt645)
        {
            var identifiers = new uint[meter.Points.Length];
            for (var p = 0; p < identifiers.Length; p++)
            {
                identifiers[p] = meter.Points[p].DataIdentifier;
            }

            identifiers = shared.Row(identifiers);

            var version = meter.Protocol == "dlt645-1997" ? Dlt645Version.V1997 : Dlt645Version.V2007;
            var session = new Dlt645MeterSession(
                index, meter.Id, dlt645, Dlt645Address.Parse(meter.Address), version, identifiers, meter.PollSeconds, meter.TimeoutMs, meter.Retries, platform.Clock);
            var energy = System.Array.IndexOf(identifiers, Dlt645Catalogue.ForwardActiveEnergyTotal);
            if (version == Dlt645Version.V2007 && energy >= 0)
            {
                session.Backfill = backfill;
                session.FrozenEnergyPoint = energy;
            }

            return session;
        }

        var points = new ModbusPoint[meter.Points.Length];
        for (var p = 0; p < points.Length; p++)
        {
            points[p] = ToModbusPoint(meter.Points[p], shared);
        }

        var model = models.Find(points, planner);
        return new ModbusMeterSession(
            index, meter.Id, modbus, model.Points, model.Plan, (byte)meter.Unit, meter.PollSeconds, meter.TimeoutMs, meter.Retries, platform.Clock);
    }

    // The unit id is the session's: a point carries none (0), so that meters of one model share their points.
    private static ModbusPoint ToModbusPoint(PointSettings point, SharedValues shared)
    {
        var isFloat = point.DataType == ModbusDataType.Float32 || point.DataType == ModbusDataType.Float64;
        return new ModbusPoint(
            shared.Text(point.Id),
            0,
            point.Function,
            point.Register,
            point.DataType,
            point.WordOrder,
            isFloat ? 0 : -point.Decimals,
            isFloat ? point.Decimals : 0,
            shared.Text(point.Unit));
    }
}
