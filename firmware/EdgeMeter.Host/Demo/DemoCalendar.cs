using EdgeMeter.Common.Time;

namespace EdgeMeter.Host.Demo;

/// <summary>
/// The simulated days a demo lives through: whole Beijing days ending at the start of a month (so a monthly value
/// falls due inside the run), a quarter hour before the first so its midnight is read, and three quarters of an hour
/// after the last so the last boundaries are read and past the grace period. The clock stands still until the
/// epoch, which leaves the processes time to start.
/// </summary>
public sealed record DemoCalendar(int Days, DateTime FirstDayUtc, SimulatedTime Clock)
{
    public static readonly TimeSpan Lead = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Tail = TimeSpan.FromMinutes(45);
    public static readonly TimeSpan StartAllowance = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>Days ending on the 1st of last month (Beijing), always in the past, lived through in about <paramref name="durationSeconds"/>.</summary>
    public static DemoCalendar Plan(int days, int durationSeconds, DateTime realNowUtc)
    {
        var beijingNow = realNowUtc + Beijing;
        var monthEnd = new DateTime(beijingNow.Year, beijingNow.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-1);
        var firstDayUtc = monthEnd.AddDays(-days) - Beijing;
        var simulated = TimeSpan.FromDays(days) + Lead + Tail;
        var speed = (int)Math.Ceiling(simulated.TotalSeconds / durationSeconds);
        return new DemoCalendar(days, firstDayUtc, new SimulatedTime(firstDayUtc - Lead, realNowUtc + StartAllowance, speed));
    }

    /// <summary>The start (UTC) of every whole simulated day.</summary>
    public IEnumerable<DateTime> DaysUtc => Enumerable.Range(0, Days).Select(d => FirstDayUtc.AddDays(d));

    /// <summary>When the simulated run is over: the last day's end plus the tail.</summary>
    public DateTime EndUtc => FirstDayUtc.AddDays(Days) + Tail;

    public bool IsOver => Clock.UtcNow >= EndUtc;
}
