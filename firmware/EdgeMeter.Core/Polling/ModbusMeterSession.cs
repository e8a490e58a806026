using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Polling;

/// <summary>
/// A Modbus meter: its points coalesced into as few block reads as the planner allows. Behind a Modbus TCP server that
/// takes several outstanding requests, the blocks are read in one pipelined round and only the ones that failed are
/// read again one by one, with the meter's retries.
/// </summary>
public sealed class ModbusMeterSession : MeterSession, IMeterRequest
{
    private readonly ModbusMaster _master;
    private readonly ModbusPoint[] _points;
    private readonly ModbusReadPlan _plan;
    private readonly int _timeoutMilliseconds;
    private readonly ModbusTcpMaster? _pipeline;
    private readonly ReadStatus[] _statuses;
    private readonly byte _unitId;

    /// <summary>The argument of <see cref="IMeterRequest.Run"/> that reads every block in one pipelined round.</summary>
    private const int AllBlocks = -1;

    public ModbusMeterSession(
        int meterIndex,
        string meterId,
        ModbusMaster master,
        ModbusPoint[] points,
        ModbusBlockPlanner planner,
        int pollSeconds,
        int timeoutMilliseconds,
        int retries,
        IClock clock)
        : this(meterIndex, meterId, master, points, planner.Plan(points), points.Length > 0 ? points[0].UnitId : (byte)1, pollSeconds, timeoutMilliseconds, retries, clock)
    {
    }

    /// <summary>
    /// A meter reading <paramref name="points"/> by <paramref name="plan"/> from unit <paramref name="unitId"/>: meters of
    /// one model on one bus share the points and the plan (the bus reads one meter at a time, decoding each block as
    /// soon as it is read), so each keeps only its unit id and its own state.
    /// </summary>
    public ModbusMeterSession(
        int meterIndex,
        string meterId,
        ModbusMaster master,
        ModbusPoint[] points,
        ModbusReadPlan plan,
        byte unitId,
        int pollSeconds,
        int timeoutMilliseconds,
        int retries,
        IClock clock)
        : base(meterIndex, meterId, pollSeconds, retries, clock)
    {
        _master = master;
        _points = points;
        _plan = plan;
        _unitId = unitId;
        _timeoutMilliseconds = timeoutMilliseconds;
        _statuses = new ReadStatus[_plan.BlockCount];
        var tcp = master as ModbusTcpMaster;
        _pipeline = tcp != null && tcp.MaxOutstanding > 1 && _plan.BlockCount > 1 ? tcp : null;
    }

    public override int PointCount => _points.Length;

    /// <summary>How many requests one poll costs (fewer than points when registers are adjacent).</summary>
    public int RequestsPerPoll => _plan.BlockCount;

    public override bool Poll(IPointSink sink)
    {
        var anyRead = false;
        if (_pipeline != null)
        {
            Attempt(this, AllBlocks);
        }

        for (var b = 0; b < _plan.BlockCount; b++)
        {
            var block = _plan.GetBlock(b);
            var status = _pipeline != null ? _statuses[b] : ReadStatus.Timeout;
            if (status != ReadStatus.Ok && status != ReadStatus.ErrorReply)
            {
                status = Attempt(this, b);
            }

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
        if (block != AllBlocks)
        {
            return _plan.GetBlock(block).Read(_master, _unitId);
        }

        // One round for all blocks; the blocks it leaves failed are retried one by one, so the round itself is not.
        _pipeline!.ReadPipelined(_plan, _statuses, _unitId);
        for (var b = 0; b < _statuses.Length; b++)
        {
            if (_statuses[b] == ReadStatus.LinkDown)
            {
                return ReadStatus.LinkDown;
            }
        }

        return ReadStatus.Ok;
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
