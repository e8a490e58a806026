namespace EdgeMeter.Core.Polling;

/// <summary>
/// When one meter is next due. Polls fall on wall-clock multiples of the interval (a 15-minute point is read at
/// :00, :15, :30, :45). A meter that keeps failing is marked offline and backs off by skipping boundaries
/// (1, 2, 4 ... up to <see cref="MaxSkippedBoundaries"/>), so a dead meter cannot starve its bus.
/// </summary>
public sealed class MeterSchedule
{
    /// <summary>Consecutive failed polls after which a meter counts as offline.</summary>
    public const int OfflineAfterFailures = 3;

    public const int MaxSkippedBoundaries = 8;

    private readonly long _intervalMilliseconds;

    public MeterSchedule(int intervalSeconds, long nowUnixMilliseconds)
    {
        if (intervalSeconds <= 0)
        {
            throw new System.ArgumentOutOfRangeException(nameof(intervalSeconds));
        }

        _intervalMilliseconds = intervalSeconds * 1000L;
        NextDueUnixMilliseconds = BoundaryAfter(nowUnixMilliseconds - 1, 0);
    }

    public long NextDueUnixMilliseconds { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    public bool IsOffline => ConsecutiveFailures >= OfflineAfterFailures;

    /// <summary>The boundary this poll belongs to: the reading time stamped on its values.</summary>
    public long SlotOf(long unixMilliseconds) => unixMilliseconds - Modulo(unixMilliseconds);

    public bool IsDue(long nowUnixMilliseconds) => nowUnixMilliseconds >= NextDueUnixMilliseconds;

    /// <summary>Records a poll's outcome and moves to the next boundary it should run at.</summary>
    public void Completed(long nowUnixMilliseconds, bool succeeded)
    {
        ConsecutiveFailures = succeeded ? 0 : ConsecutiveFailures + 1;
        NextDueUnixMilliseconds = BoundaryAfter(nowUnixMilliseconds, BoundariesToSkip());
    }

    /// <summary>Forget the backoff (a read-now command, or the bus came back).</summary>
    public void Wake(long nowUnixMilliseconds) => NextDueUnixMilliseconds = nowUnixMilliseconds;

    private int BoundariesToSkip()
    {
        if (!IsOffline)
        {
            return 0;
        }

        var doublings = ConsecutiveFailures - OfflineAfterFailures;
        return doublings >= 3 ? MaxSkippedBoundaries : 1 << doublings;
    }

    private long BoundaryAfter(long unixMilliseconds, int skip) =>
        SlotOf(unixMilliseconds) + ((1 + skip) * _intervalMilliseconds);

    private long Modulo(long unixMilliseconds)
    {
        var remainder = unixMilliseconds % _intervalMilliseconds;
        return remainder < 0 ? remainder + _intervalMilliseconds : remainder;
    }
}
