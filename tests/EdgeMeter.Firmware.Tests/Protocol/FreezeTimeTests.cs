using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Values;
using EdgeMeter.Firmware.Tests.Buffer;
using EdgeMeter.Firmware.Tests.Support;
using nanoFramework.TestFramework;

namespace EdgeMeter.Firmware.Tests.Protocol;

/// <summary>
/// A DL/T 645 freeze time (YYMMDDhhmm) on the device's runtime: the calendar arithmetic the frozen-day backfill
/// relies on (DateTime.DaysInMonth, the local-to-UTC shift) gives the same answers as on .NET
/// (tests/EdgeMeter.Host.Tests/Simulation/FrozenDayBackfillTests.cs).
/// </summary>
[TestClass]
public static class FreezeTimeTests
{
    [TestMethod]
    public static void A_freeze_at_local_midnight_is_16_00_UTC_the_day_before()
    {
        var backfill = new FrozenDayBackfill(new MemoryFlashFileSystem(), new StillClock(), 480, 1);

        Assert.IsTrue(backfill.TryFreezeTime(new FixedDecimal(2610310000L, 0), out var utc, out var day));
        Assert.AreEqual(new System.DateTime(2026, 10, 30, 16, 0, 0).Ticks, utc.Ticks);
        Assert.AreEqual(new System.DateTime(2026, 10, 31).Ticks / System.TimeSpan.TicksPerDay, day);
        Assert.IsTrue(backfill.TryFreezeTime(new FixedDecimal(2802290000L, 0), out _, out _)); // 2028 is a leap year
    }

    [TestMethod]
    public static void Digits_that_are_no_date_are_refused()
    {
        var backfill = new FrozenDayBackfill(new MemoryFlashFileSystem(), new StillClock(), 480, 1);

        Assert.IsFalse(backfill.TryFreezeTime(new FixedDecimal(0, 0), out _, out _));
        Assert.IsFalse(backfill.TryFreezeTime(new FixedDecimal(2602300000L, 0), out _, out _));
        Assert.IsFalse(backfill.TryFreezeTime(new FixedDecimal(2613010000L, 0), out _, out _));
    }
}
