using System.Diagnostics;

namespace EdgeMeter.LoadTest.Support;

/// <summary>Waits until a Stopwatch time: sleeps while more than 2 ms remain, then spins (Thread.Sleep alone overshoots by up to a millisecond).</summary>
public static class PreciseDelay
{
    public static void Until(long stopwatchTimestamp)
    {
        while (true)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), stopwatchTimestamp);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            if (remaining > TimeSpan.FromMilliseconds(2))
            {
                Thread.Sleep(remaining - TimeSpan.FromMilliseconds(1.5));
            }
            else
            {
                Thread.SpinWait(50);
            }
        }
    }

    public static long After(double milliseconds) => Stopwatch.GetTimestamp() + (long)(milliseconds * Stopwatch.Frequency / 1000);
}
