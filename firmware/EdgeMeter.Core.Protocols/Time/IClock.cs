namespace EdgeMeter.Core.Time;

/// <summary>Wall-clock and monotonic time, supplied by the platform (PC, ESP32, or a test's fake clock).</summary>
public interface IClock
{
    /// <summary>UTC wall-clock time. On the ESP32 this is 1970 until SNTP has synchronized.</summary>
    System.DateTime UtcNow { get; }

    /// <summary>Milliseconds from an arbitrary start; never goes backwards, unaffected by clock changes.</summary>
    long MonotonicMilliseconds { get; }

    /// <summary>Blocks the calling thread (a fake clock advances instead).</summary>
    void Sleep(int milliseconds);
}
