using System.Collections;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Links;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.Core.Runtime;

/// <summary>
/// The meters of each configured bus, built from the configuration: the bus's link, its masters, a session per meter
/// and, where DL/T 645 meters keep time, its time sync; and every point's ratio. Built before the reading buffer, so
/// that a board that lets each meter's point settings go as its session is built never holds the configuration's
/// points and the whole runtime at once (docs/performance.md, "The device heap").
/// </summary>
public sealed class BusMeters : System.IDisposable
{
    private readonly string[] _busIds;
    private readonly IMeterLink[] _links;
    private readonly MeterSession[][] _sessions;
    private readonly MeterTimeSync?[] _timeSyncs;
    private readonly FrozenDayBackfill _backfill;

    /// <param name="releaseMeterPoints">Empties each meter's points once its session is built (<see cref="GatewayRuntime"/>).</param>
    public BusMeters(GatewayConfig config, IGatewayPlatform platform, bool releaseMeterPoints)
    {
        var count = config.Buses.Length;
        _busIds = new string[count];
        _links = new IMeterLink[count];
        _sessions = new MeterSession[count][];
        _timeSyncs = new MeterTimeSync?[count];
        var planner = new ModbusBlockPlanner();
        var shared = new SharedValues();
        Ratios = new PointRatios(config.Meters);
        _backfill = new FrozenDayBackfill(platform.StateFiles, platform.Clock, config.Time.UtcOffsetMinutes, config.Meters.Length);
        for (var b = 0; b < count; b++)
        {
            AddBus(b, config, platform, planner, shared, releaseMeterPoints);
        }
    }

    public int Count => _links.Length;

    /// <summary>Every point's ratio, by the indexes readings carry.</summary>
    public PointRatios Ratios { get; }

    public string BusId(int bus) => _busIds[bus];

    /// <summary>The sessions of the meters on <paramref name="bus"/>, in configuration order.</summary>
    public MeterSession[] Sessions(int bus) => _sessions[bus];

    /// <summary>The time sync of <paramref name="bus"/>'s DL/T 645 meters that keep time, or null where none does.</summary>
    public MeterTimeSync? TimeSync(int bus) => _timeSyncs[bus];

    public void Dispose()
    {
        for (var i = 0; i < _links.Length; i++)
        {
            var disposable = _links[i] as System.IDisposable;
            disposable?.Dispose();
        }

        _backfill.Dispose();
    }

    // The bus's link and masters, a session per meter on it, and its time sync where DL/T 645 meters keep time.
    private void AddBus(int b, GatewayConfig config, IGatewayPlatform platform, ModbusBlockPlanner planner, SharedValues shared, bool releaseMeterPoints)
    {
        var bus = config.Buses[b];
        _busIds[b] = bus.Id;
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

            if (releaseMeterPoints)
            {
                meter.Points = MeterSettings.NoPoints;
            }
        }

        _sessions[b] = (MeterSession[])sessions.ToArray(typeof(MeterSession));
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
