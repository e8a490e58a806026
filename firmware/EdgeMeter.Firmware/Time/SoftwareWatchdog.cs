using System;
using System.Threading;
using nanoFramework.Runtime.Native;

namespace EdgeMeter.Firmware.Time;

/// <summary>
/// Reboots the board when the gateway stops making progress. nanoFramework exposes no hardware watchdog, so a Timer
/// checks how long ago <see cref="Feed"/> was last called and calls Power.RebootDevice when that exceeds the limit.
/// </summary>
/// <remarks>
/// It only catches a stuck managed thread (a deadlock, a blocking call that never returns). If the whole CLR hangs,
/// the timer thread hangs with it; only the ESP-IDF task watchdog, configured in the native firmware, covers that.
/// Feed it from the loop whose progress matters (e.g. after each poll cycle and each uplink pass), not from a
/// timer of its own.
/// </remarks>
public sealed class SoftwareWatchdog : IDisposable
{
    private readonly DeviceClock _clock;
    private readonly long _limitMilliseconds;
    private readonly Timer _timer;
    private readonly object _sync = new object();
    private long _lastFedAt;

    /// <param name="limit">Longest time without <see cref="Feed"/> before the reboot.</param>
    /// <param name="checkEvery">How often to check; a fraction of <paramref name="limit"/>.</param>
    public SoftwareWatchdog(DeviceClock clock, TimeSpan limit, TimeSpan checkEvery)
    {
        _clock = clock;
        _limitMilliseconds = (long)limit.TotalMilliseconds;
        _lastFedAt = clock.MonotonicMilliseconds;
        var period = (int)checkEvery.TotalMilliseconds;
        _timer = new Timer(Check, null, period, period);
    }

    /// <summary>Called just before the reboot, e.g. to log the reason; must return quickly.</summary>
    public event WatchdogExpiredHandler? Expired;

    /// <summary>Milliseconds since the last <see cref="Feed"/>.</summary>
    public long StarvedMilliseconds
    {
        get
        {
            lock (_sync)
            {
                return _clock.MonotonicMilliseconds - _lastFedAt;
            }
        }
    }

    public void Feed()
    {
        lock (_sync)
        {
            _lastFedAt = _clock.MonotonicMilliseconds;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Check(object? state)
    {
        var starved = StarvedMilliseconds;
        if (starved <= _limitMilliseconds)
        {
            return;
        }

        _timer.Dispose();
        try
        {
            Expired?.Invoke(starved);
        }
        finally
        {
            // A bounded wait for any OnRebootEvent handlers (e.g. closing files), then a full reboot.
            Power.RebootDevice(2000);
        }
    }
}

/// <summary>Receives how long the watchdog went unfed.</summary>
public delegate void WatchdogExpiredHandler(long starvedMilliseconds);
