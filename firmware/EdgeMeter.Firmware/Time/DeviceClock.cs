using System;
using System.Threading;
using EdgeMeter.Core.Time;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;

namespace EdgeMeter.Firmware.Time;

/// <summary>
/// The ESP32's clocks. Wall time is DateTime.UtcNow, which the firmware's SNTP client (started by nanoCLR when
/// the first IP address arrives, servers 0/1.pool.ntp.org) sets; it reads 1970 until then. Monotonic time is the
/// ESP-IDF high-resolution timer.
/// </summary>
/// <remarks>
/// Why HighResTimer.GetCurrent and not Environment.TickCount64 (nanoFramework.Runtime.Native): TickCount64 is
/// nanoCLR's uptime, derived from the 32-bit FreeRTOS tick count at 100 Hz on the ESP32 builds, so it has 10 ms
/// resolution and wraps after about 497 days. GetCurrent is esp_timer_get_time(): 64-bit microseconds since boot,
/// never wraps in practice and is untouched by SNTP or <see cref="SetUtc"/>. Neither survives a reboot, which the
/// IClock contract allows ("from an arbitrary start").
/// </remarks>
public sealed class DeviceClock : IClock
{
    /// <summary>Earliest time a synchronized clock can show: no build of this firmware predates it.</summary>
    public static readonly DateTime SynchronizedAfter = new DateTime(2025, 1, 1); // nanoFramework has only UTC

    public DateTime UtcNow => DateTime.UtcNow;

    public long MonotonicMilliseconds => (long)(HighResTimer.GetCurrent() / 1000);

    /// <summary>
    /// Whether wall time has been set (by SNTP or <see cref="SetUtc"/>): nothing else moves it past
    /// <see cref="SynchronizedAfter"/>. The ESP32 may keep its RTC time across a software reboot; that counts too.
    /// </summary>
    public bool IsSynchronized => DateTime.UtcNow >= SynchronizedAfter;

    public void Sleep(int milliseconds)
    {
        if (milliseconds > 0)
        {
            Thread.Sleep(milliseconds);
        }
    }

    /// <summary>
    /// Sets wall time from another trusted source (e.g. a signed command) where SNTP cannot reach its servers.
    /// Returns false when the runtime refused it. SNTP, when it later succeeds, overrides it.
    /// </summary>
    public bool SetUtc(DateTime utc) => utc >= SynchronizedAfter && Rtc.SetSystemTime(utc);
}
