using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Polling;

/// <summary>A Modbus meter: its points coalesced into as few block reads as the planner allows.</summary>
public sealed class ModbusMeterSession : MeterSession, IMeterRequest
{
    private readonly IModbusMaster _master;
    private readonly ModbusPoint[] _points;
    private readonly ModbusReadPlan _plan;
    private readonly int _timeoutMilliseconds;

    public ModbusMeterSession(
        int meterIndex,
        string meterId,
        IModbusMaster master,
        ModbusPoint[] points,
        ModbusBlockPlanner planner,
        int pollSeconds,
        int timeoutMilliseconds,
        int retries,
        IClock clock)
        : base(meterIndex, meterId, pollSeconds, retries, clock)
    {
        _master = master;
        _points = points;
        _plan = planner.Plan(points);
        _timeoutMilliseconds = timeoutMilliseconds;
    }

    public override int PointCount => _points.Length;

    /// <summary>How many requests one poll costs (fewer than points when registers are adjacent).</summary>
    public int RequestsPerPoll => _plan.BlockCount;

    public override bool Poll(IPointSink sink)
    {
        var anyRead = false;
        for (var b = 0; b < _plan.BlockCount; b++)
        {
            var block = _plan.GetBlock(b);
            var status = Attempt(this, b);
            for (var i = 0; i < block.PointCount; i++)
            {
                var pointStatus = status;
                var value = default(FixedDecimal);
                if (status == ReadStatus.Ok && block.Decode(i, out value) != ModbusValueStatus.Ok)
                {
                    pointStatus = ReadStatus.Malformed;
                }

                anyRead |= pointStatus == ReadStatus.Ok;
                sink.Accept(this, IndexOf(block.GetPoint(i)), pointStatus, value);
            }
        }

        return anyRead;
    }

    ReadStatus IMeterRequest.Run(int block)
    {
        _master.ResponseTimeoutMilliseconds = _timeoutMilliseconds;
        return _plan.GetBlock(block).Read(_master);
    }

    private int IndexOf(ModbusPoint point)
    {
        for (var i = 0; i < _points.Length; i++)
        {
            if (ReferenceEquals(_points[i], point))
            {
                return i;
            }
        }

        return -1;
    }
}
