using EdgeMeter.Core.Polling;

namespace EdgeMeter.Core.Tests.Polling;

public class MeterScheduleTests
{
    private const long Minute = 60_000;
    private static readonly long Nine = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Fifteen_minute_points_fall_on_the_quarter_hours()
    {
        var schedule = new MeterSchedule(900, Nine + (7 * Minute) + 1234);
        Assert.Equal(Nine + (15 * Minute), schedule.NextDueUnixMilliseconds);

        schedule.Completed(Nine + (15 * Minute) + 800, succeeded: true);
        Assert.Equal(Nine + (30 * Minute), schedule.NextDueUnixMilliseconds);
        Assert.Equal(Nine + (30 * Minute), schedule.SlotOf(Nine + (30 * Minute) + 500));
    }

    [Fact]
    public void Starting_exactly_on_a_boundary_polls_at_once()
    {
        var schedule = new MeterSchedule(60, Nine);
        Assert.True(schedule.IsDue(Nine));
    }

    [Fact]
    public void A_late_poll_skips_to_the_next_boundary_instead_of_catching_up()
    {
        var schedule = new MeterSchedule(60, Nine);
        schedule.Completed(Nine + (3 * Minute) + 10, succeeded: true);
        Assert.Equal(Nine + (4 * Minute), schedule.NextDueUnixMilliseconds);
    }

    [Fact]
    public void A_dead_meter_goes_offline_and_backs_off_up_to_the_cap()
    {
        var schedule = new MeterSchedule(60, Nine);
        var now = Nine;
        long[] expectedSkips = [0, 0, 1, 2, 4, 8, 8, 8];
        foreach (var skip in expectedSkips)
        {
            schedule.Completed(now, succeeded: false);
            Assert.Equal(schedule.SlotOf(now) + ((1 + skip) * Minute), schedule.NextDueUnixMilliseconds);
            now = schedule.NextDueUnixMilliseconds;
        }

        Assert.True(schedule.IsOffline);
        schedule.Completed(now, succeeded: true);
        Assert.False(schedule.IsOffline);
        Assert.Equal(now + Minute, schedule.NextDueUnixMilliseconds);
    }

    [Fact]
    public void Wake_makes_an_offline_meter_due_now()
    {
        var schedule = new MeterSchedule(60, Nine);
        for (var i = 0; i < 5; i++)
        {
            schedule.Completed(Nine, succeeded: false);
        }

        Assert.False(schedule.IsDue(Nine + Minute));
        schedule.Wake(Nine + Minute);
        Assert.True(schedule.IsDue(Nine + Minute));
    }
}
