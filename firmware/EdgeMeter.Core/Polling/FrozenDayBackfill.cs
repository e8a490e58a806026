using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Polling;

/// <summary>
/// Decides when a DL/T 645-2007 meter's own daily frozen energy is worth reading back: when a midnight passed while
/// the meter went unread for longer than <see cref="MinimumGapMinutes"/> (the gateway was off, the line was down,
/// the meter did not answer), so the receiver would otherwise have to guess that day boundary. It remembers per meter
/// the time of its last good poll, and, in flash, the last local day the gateway polled any meter, so an outage of
/// the whole gateway is noticed after its restart (one write per day). Days are the meters' local days (the
/// configured UTC offset), the days their freezes belong to (docs/dlt645.md, "Daily frozen data").
/// </summary>
public sealed class FrozenDayBackfill : System.IDisposable
{
    /// <summary>A gap the receiver would not interpolate across (its MaxInterpolationMinutes default).</summary>
    public const int MinimumGapMinutes = 60;

    private const string FileName = "frozen-day";
    private const string Magic = "EMF1";
    private const long TicksPerDay = 864000000000L;

    private readonly DurablePair _gatewayDay;
    private readonly IClock _clock;
    private readonly long _utcOffsetTicks;
    private readonly long[] _lastAnswers;

    // The gateway's last polling day as found at start: every meter's reference until it answers (the flash copy
    // moves on with the first meter that answers, and must not hide the outage from the others).
    private readonly long _startDay;
    private readonly object _gate = new object();

    public FrozenDayBackfill(IFlashFileSystem stateFiles, IClock clock, int utcOffsetMinutes, int meterCount)
    {
        _gatewayDay = DurablePair.Open(stateFiles, FileName, Magic);
        _clock = clock;
        _utcOffsetTicks = utcOffsetMinutes * System.TimeSpan.TicksPerMinute;
        _lastAnswers = new long[meterCount];
        _startDay = _gatewayDay.First;
    }

    /// <summary>
    /// Records that <paramref name="meterIndex"/> answered now; returns how many frozen days to read back (0..62):
    /// the midnights passed since its last answer, when that was more than <see cref="MinimumGapMinutes"/> ago; and,
    /// in <paramref name="lastDay"/>, the local day of that answer (freezes after it are the missed ones).
    /// Nothing while the gateway clock is not synchronized: "today" would be meaningless.
    /// </summary>
    public int Answered(int meterIndex, out long lastDay)
    {
        lastDay = 0;
        var now = _clock.UtcNow;
        if (!ReadingRecorder.IsSynchronized(now))
        {
            return 0;
        }

        var today = LocalDay(now);
        long missed;
        lock (_gate)
        {
            var lastAnswer = _lastAnswers[meterIndex];
            _lastAnswers[meterIndex] = now.Ticks;

            // Since this start: the meter's own last answer; before it, the last day the gateway polled at all.
            lastDay = lastAnswer != 0 ? LocalDay(new System.DateTime(lastAnswer)) : _startDay;
            var gapped = lastAnswer == 0 || now.Ticks - lastAnswer > MinimumGapMinutes * System.TimeSpan.TicksPerMinute;
            missed = lastDay == 0 || !gapped ? 0 : today - lastDay;
            if (today > _gatewayDay.First)
            {
                _gatewayDay.Save(today, 0);
            }
        }

        if (missed <= 0)
        {
            return 0;
        }

        return missed > Protocol.Dlt645.Dlt645Catalogue.DailyFrozenDays ? Protocol.Dlt645.Dlt645Catalogue.DailyFrozenDays : (int)missed;
    }

    /// <summary>The local day (days since 0001-01-01) of a UTC time.</summary>
    public long LocalDay(System.DateTime utc) => (utc.Ticks + _utcOffsetTicks) / TicksPerDay;

    /// <summary>
    /// A freeze time as the meter reports it (YYMMDDhhmm, local) as UTC, with its local day; false for digits that
    /// are no date (a meter that never froze reports zeros).
    /// </summary>
    public bool TryFreezeTime(FixedDecimal digits, out System.DateTime utc, out long localDay)
    {
        utc = System.DateTime.MinValue;
        localDay = 0;
        var value = digits.Mantissa;
        if (digits.Scale != 0 || value <= 0)
        {
            return false;
        }

        var minute = (int)(value % 100);
        var hour = (int)(value / 100 % 100);
        var day = (int)(value / 10000 % 100);
        var month = (int)(value / 1000000 % 100);
        var year = 2000 + (int)(value / 100000000 % 100);
        if (month < 1 || month > 12 || day < 1 || day > System.DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59)
        {
            return false;
        }

        var local = new System.DateTime(year, month, day, hour, minute, 0);
        localDay = local.Ticks / TicksPerDay;
        utc = new System.DateTime(local.Ticks - _utcOffsetTicks, System.DateTimeKind.Utc);
        return true;
    }

    public void Dispose() => _gatewayDay.Dispose();
}
