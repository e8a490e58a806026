using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Polling;

/// <summary>
/// Puts every value a poll reads into the flash buffer before anything is published: stamped with the
/// schedule slot the poll belongs to (a 15-minute point read at 10:15:00.8 is the 10:15:00 reading), flagged
/// when the gateway clock is not yet synchronized, and committed once per bus cycle (every meter that was due):
/// a flash commit rewrites a partly filled block, so commits, not bytes, wear the flash (docs/storage.md). A cycle
/// that runs long (slow lines, many meters) commits every <see cref="MaxCommitDelayMilliseconds"/> as well, so
/// no reading waits longer than that to become durable and publishable, and every
/// <see cref="MaxReadingsPerCommit"/> readings, which bounds what an observer's copy of them costs.
/// </summary>
public sealed class ReadingRecorder : IPointSink
{
    /// <summary>A UTC clock before this year has not been synchronized (the ESP32 starts at 1970).</summary>
    public const int FirstPlausibleYear = 2024;

    /// <summary>The longest a reading waits for its commit while a cycle goes on.</summary>
    public const int MaxCommitDelayMilliseconds = 10000;

    /// <summary>The most readings one commit covers.</summary>
    public const int MaxReadingsPerCommit = 64;

    private readonly ReadingBuffer _buffer;
    private readonly IClock _clock;
    private readonly IReadingObserver? _observer;
    private readonly PointRatios? _ratios;
    private readonly Reading[]? _observed;
    private int _uncommitted;
    private long _uncommittedSince;
    private readonly object _gate = new object();
    private Reading _reading;
    private System.DateTime _slot;
    private ReadingQuality _quality;
    private long _taken;
    private long _failed;

    public ReadingRecorder(ReadingBuffer buffer, IClock clock, IReadingObserver? observer = null, PointRatios? ratios = null)
    {
        _buffer = buffer;
        _clock = clock;
        _observer = observer;
        _ratios = ratios;
        _observed = observer == null ? null : new Reading[MaxReadingsPerCommit];
    }

    /// <summary>Readings taken and stored since start.</summary>
    public long Taken
    {
        get
        {
            lock (_gate)
            {
                return _taken;
            }
        }
    }

    /// <summary>Point reads that failed (timeout, error reply, ...): no reading was stored for them.</summary>
    public long Failed
    {
        get
        {
            lock (_gate)
            {
                return _failed;
            }
        }
    }

    public static bool IsSynchronized(System.DateTime utc) => utc.Year >= FirstPlausibleYear;

    public void PollStarted(MeterSession meter)
    {
        var now = _clock.UtcNow;
        var slot = meter.Schedule.SlotOf(MeterSession.UnixMilliseconds(now));
        _slot = new System.DateTime(UnixEpochTicks + (slot * System.TimeSpan.TicksPerMillisecond), System.DateTimeKind.Utc);
        _quality = IsSynchronized(now) ? ReadingQuality.Good : ReadingQuality.TimeUnsynced;
    }

    public void Accept(MeterSession meter, int pointIndex, ReadStatus status, FixedDecimal value)
    {
        if (status == ReadStatus.Ok && _ratios != null && !_ratios.TryApply(meter.MeterIndex, pointIndex, value, out value))
        {
            status = ReadStatus.Malformed; // raw x ratio does not fit: never store a wrapped number
        }

        if (status != ReadStatus.Ok)
        {
            CountFailure();
            return;
        }

        Record(meter, pointIndex, _slot, value, _quality);
    }

    public void AcceptAlarmed(MeterSession meter, int pointIndex, FixedDecimal value)
    {
        if (_ratios != null && !_ratios.TryApply(meter.MeterIndex, pointIndex, value, out value))
        {
            CountFailure();
            return;
        }

        Record(meter, pointIndex, _slot, value, _quality | ReadingQuality.MeterError);
    }

    public void AcceptFrozen(MeterSession meter, int pointIndex, System.DateTime atUtc, FixedDecimal value)
    {
        if (_ratios != null && !_ratios.TryApply(meter.MeterIndex, pointIndex, value, out value))
        {
            CountFailure();
            return;
        }

        Record(meter, pointIndex, atUtc, value, ReadingQuality.Frozen);
    }

    private void CountFailure()
    {
        lock (_gate)
        {
            _failed++;
        }
    }

    private void Record(MeterSession meter, int pointIndex, System.DateTime time, FixedDecimal value, ReadingQuality quality)
    {
        _reading = new Reading(meter.MeterIndex, pointIndex, time, value, quality);
        _buffer.Append(ref _reading);
        if (_uncommitted == 0)
        {
            _uncommittedSince = _clock.MonotonicMilliseconds;
        }

        if (_observed != null)
        {
            _observed[_uncommitted] = _reading;
        }

        if (++_uncommitted == MaxReadingsPerCommit)
        {
            Commit();
        }

        lock (_gate)
        {
            _taken++;
        }
    }

    public void PollCompleted(MeterSession meter)
    {
        if (_uncommitted > 0 && _clock.MonotonicMilliseconds - _uncommittedSince >= MaxCommitDelayMilliseconds)
        {
            Commit();
        }
    }

    public void CycleCompleted()
    {
        if (_uncommitted > 0)
        {
            Commit();
        }
    }

    private void Commit()
    {
        _buffer.Commit();
        _observer?.Committed(_observed!, _uncommitted);
        _uncommitted = 0;
    }

    private const long UnixEpochTicks = 621355968000000000L;
}
