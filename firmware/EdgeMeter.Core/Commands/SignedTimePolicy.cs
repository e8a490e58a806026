namespace EdgeMeter.Core.Commands;

/// <summary>
/// When a gateway takes set-time's signed time as its clock: only while its own clock is not synchronized, only in
/// answer to its latest online status (by that packet's sequence number, which never repeats, across reboots too),
/// and only within a minute of signing that status by the monotonic clock. So a set-time held back by a broker, or
/// delivered after a power loss, finds a newer status or an older age and moves no clock.
/// </summary>
public static class SignedTimePolicy
{
    public const long MaxAgeMilliseconds = 60000;

    /// <summary>Null when the time may be taken, else why not.</summary>
    public static string? Refusal(bool synchronized, string requestedStatus, long lastStatus, long lastStatusMonotonic, long nowMonotonic)
    {
        if (synchronized)
        {
            return "the clock is synchronized already; set-time is for clocks that are not";
        }

        var answered = Digits(requestedStatus);
        if (answered <= 0 || answered != lastStatus)
        {
            return "set-time answers status " + requestedStatus + ", not the latest one (" + lastStatus.ToString() + ")";
        }

        var age = nowMonotonic - lastStatusMonotonic;
        return age > MaxAgeMilliseconds ? "set-time came " + age.ToString() + " ms after the status it answers (at most 60000)" : null;
    }

    // A decimal sequence number, or -1.
    private static long Digits(string text)
    {
        if (text == null || text.Length == 0 || text.Length > 18)
        {
            return -1;
        }

        long value = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < '0' || c > '9')
            {
                return -1;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
