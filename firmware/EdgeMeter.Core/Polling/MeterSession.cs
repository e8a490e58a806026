using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Polling;

/// <summary>
/// One configured meter on one bus: how to read all its points, when it is due, and how it has been doing.
/// Protocol subclasses do the reading; retries and the counters live here so every protocol treats a flaky
/// meter the same way.
/// </summary>
public abstract class MeterSession
{
    private readonly IClock _clock;

    protected MeterSession(int meterIndex, string meterId, int pollSeconds, int retries, IClock clock)
    {
        MeterIndex = meterIndex;
        MeterId = meterId;
        Retries = retries;
        _clock = clock;
        Schedule = new MeterSchedule(pollSeconds, UnixMilliseconds(clock.UtcNow));
    }

    public int MeterIndex { get; }

    public string MeterId { get; }

    public int Retries { get; }

    public MeterSchedule Schedule { get; }

    public MeterCounters Counters { get; } = new MeterCounters();

    /// <summary>Told of every transaction's end (the board's activity LED).</summary>
    public IBusActivity Activity { get; set; } = NoBusActivity.Instance;

    /// <summary>The status of the last request: what the status packet reports for a meter.</summary>
    public ReadStatus LastStatus { get; private set; } = ReadStatus.Ok;

    public abstract int PointCount { get; }

    /// <summary>Reads every point, handing each outcome to the sink. Returns whether any point was read.</summary>
    public abstract bool Poll(IPointSink sink);

    /// <summary>Runs one request with the meter's retries, timing each attempt into the counters.</summary>
    protected ReadStatus Attempt(IMeterRequest request, int argument)
    {
        var status = ReadStatus.Timeout;
        for (var attempt = 0; attempt <= Retries; attempt++)
        {
            var started = _clock.MonotonicMilliseconds;
            status = request.Run(argument);
            Counters.Record(status, _clock.MonotonicMilliseconds - started);
            if (!IsWorthRetrying(status))
            {
                Activity.Answered();
                break;
            }

            Activity.Failed();
        }

        LastStatus = status;
        return status;
    }

    public static long UnixMilliseconds(System.DateTime utc) => (utc.Ticks - UnixEpochTicks) / System.TimeSpan.TicksPerMillisecond;

    private const long UnixEpochTicks = 621355968000000000L;

    private static bool IsWorthRetrying(ReadStatus status) =>
        status == ReadStatus.Timeout || status == ReadStatus.BadChecksum || status == ReadStatus.Malformed;
}

/// <summary>One request a session can repeat: an indirection so retries cost no delegate allocation.</summary>
public interface IMeterRequest
{
    ReadStatus Run(int argument);
}
