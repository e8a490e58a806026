using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Relay.Http;
using static EdgeMeter.Receiver.Tests.Indicators.ItemFixtures;

namespace EdgeMeter.Receiver.Tests.Indicators;

public class BeijingCalendarTests
{
    [Fact]
    public void A_Beijing_day_starts_at_16_00_UTC_the_day_before()
    {
        var midnight = new DateTime(2026, 3, 30, 16, 0, 0, DateTimeKind.Utc);

        Assert.Equal(midnight, BeijingCalendar.DayStart(midnight));
        Assert.Equal(midnight.AddDays(-1), BeijingCalendar.DayStart(midnight.AddTicks(-1)));
        Assert.Equal(new DateTime(2026, 3, 31), BeijingCalendar.PeriodOf(StatType.Day, midnight, 15).StatDate);
    }

    [Theory]
    [InlineData(2028, 2, 29)]   // leap year
    [InlineData(2026, 2, 28)]
    [InlineData(2026, 4, 30)]
    [InlineData(2026, 12, 31)]
    public void A_month_runs_from_the_1st_to_its_last_day(int year, int month, int lastDay)
    {
        var period = BeijingCalendar.PeriodOf(StatType.Month, Beijing(year, month, lastDay, 23, 59, 59), 15);

        Assert.Equal(new DateTime(year, month, 1), period.StatDate);
        Assert.Equal(lastDay, BeijingCalendar.Parts(period, 15).Count());
        Assert.Equal(Beijing(year, month, lastDay).AddDays(1), period.EndUtc);
    }

    [Theory]
    [InlineData(15, 96)]
    [InlineData(30, 48)]
    [InlineData(60, 24)]
    public void A_day_holds_the_intervals_of_its_length(int minutes, int count)
    {
        var day = BeijingCalendar.PeriodOf(StatType.Day, Beijing(2028, 2, 29, 12), minutes);
        var parts = BeijingCalendar.Parts(day, minutes).ToList();

        Assert.Equal(count, parts.Count);
        Assert.Equal(new DateTime(2028, 2, 29, 0, 0, 0), parts[0].StatDate);
        Assert.Equal(day.EndUtc, parts[^1].EndUtc);
    }

    [Fact]
    public void Intervals_start_on_the_quarter_hour_and_a_year_on_1_January()
    {
        Assert.Equal(new DateTime(2026, 5, 20, 10, 15, 0), BeijingCalendar.PeriodOf(StatType.RealTime, Beijing(2026, 5, 20, 10, 29, 59), 15).StatDate);
        Assert.Equal(new DateTime(2026, 5, 20, 10, 0, 0), BeijingCalendar.PeriodOf(StatType.RealTime, Beijing(2026, 5, 20, 10, 29, 59), 60).StatDate);
        var year = BeijingCalendar.PeriodOf(StatType.Year, Beijing(2027, 1, 1), 15);
        Assert.Equal(new DateTime(2027, 1, 1), year.StatDate);
        Assert.Equal(12, BeijingCalendar.Parts(year, 15).Count());
    }
}
