using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Polling;

/// <summary>
/// Polls the meters of one RS-485 bus, strictly one request at a time, each when its schedule says it is due.
/// Several buses run in parallel, one poller (and one thread) each. A dead meter costs its bus one timeout per
/// attempt and then backs off, so it cannot starve the others.
/// </summary>
public sealed class BusPoller
{
    /// <summary>The longest the loop sleeps before checking for a stop or a read-now request.</summary>
    public const int MaxSleepMilliseconds = 200;

    private readonly MeterSession[] _meters;
    private readonly IClock _clock;
    private readonly IPointSink _sink;
    private readonly object _gate = new object();

    // nanoFramework's mscorlib has no volatile support (IsVolatile), so the two flags are read and written under _gate.
    private bool _stopping;
    private bool _wakeRequested;
    private IBusTask? _pendingTask;

    public BusPoller(string busId, MeterSession[] meters, IClock clock, IPointSink sink)
    {
        BusId = busId;
        _meters = meters;
        _clock = clock;
        _sink = sink;
    }

    public string BusId { get; }

    public int MeterCount => _meters.Length;

    public MeterSession GetMeter(int index) => _meters[index];

    /// <summary>Per-bus counters: the sum over its meters.</summary>
    public MeterCounters SumCounters()
    {
        var sum = new MeterCounters();
        for (var i = 0; i < _meters.Length; i++)
        {
            sum.Add(_meters[i].Counters);
        }

        return sum;
    }

    /// <summary>Polls every meter that is due now, most overdue first. Returns milliseconds until the next one is due.</summary>
    public long PollDue()
    {
        var task = TakeTask();
        if (task != null)
        {
            task.Run();
        }

        if (TakeWakeRequest())
        {
            var now = Now();
            for (var i = 0; i < _meters.Length; i++)
            {
                _meters[i].Schedule.Wake(now);
            }
        }

        MeterSession? due;
        var polled = false;
        while (!IsStopping && (due = MostOverdue(Now())) != null)
        {
            _sink.PollStarted(due);
            var succeeded = due.Poll(_sink);
            _sink.PollCompleted(due);
            due.Schedule.Completed(Now(), succeeded);
            polled = true;
        }

        if (polled)
        {
            _sink.CycleCompleted();
        }

        return UntilNextDue(Now());
    }

    /// <summary>The poller's thread body: polls until <see cref="Stop"/> is called.</summary>
    public void Run()
    {
        while (!IsStopping)
        {
            var wait = PollDue();
            _clock.Sleep((int)(wait < MaxSleepMilliseconds ? wait : MaxSleepMilliseconds));
        }
    }

    /// <summary>Makes every meter due at once (the read-now command).</summary>
    public void ReadNow()
    {
        lock (_gate)
        {
            _wakeRequested = true;
        }
    }

    /// <summary>Runs <paramref name="task"/> on this bus's thread between polls (the bus carries one request at a time).</summary>
    public void RequestTask(IBusTask task)
    {
        lock (_gate)
        {
            _pendingTask = task;
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
        }
    }

    private bool IsStopping
    {
        get
        {
            lock (_gate)
            {
                return _stopping;
            }
        }
    }

    private IBusTask? TakeTask()
    {
        lock (_gate)
        {
            var task = _pendingTask;
            _pendingTask = null;
            return task;
        }
    }

    private bool TakeWakeRequest()
    {
        lock (_gate)
        {
            var requested = _wakeRequested;
            _wakeRequested = false;
            return requested;
        }
    }

    private long Now() => MeterSession.UnixMilliseconds(_clock.UtcNow);

    private MeterSession? MostOverdue(long now)
    {
        MeterSession? best = null;
        for (var i = 0; i < _meters.Length; i++)
        {
            var meter = _meters[i];
            if (meter.Schedule.IsDue(now)
                && (best == null || meter.Schedule.NextDueUnixMilliseconds < best.Schedule.NextDueUnixMilliseconds))
            {
                best = meter;
            }
        }

        return best;
    }

    private long UntilNextDue(long now)
    {
        var soonest = long.MaxValue;
        for (var i = 0; i < _meters.Length; i++)
        {
            var due = _meters[i].Schedule.NextDueUnixMilliseconds;
            if (due < soonest)
            {
                soonest = due;
            }
        }

        return soonest <= now ? 0 : soonest - now;
    }
}
