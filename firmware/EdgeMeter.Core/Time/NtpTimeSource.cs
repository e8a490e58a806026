namespace EdgeMeter.Core.Time;

/// <summary>
/// Keeps a board's wall clock from the NTP server its configuration names (time.ntpServer: on an isolated network,
/// the receiver's host), beside nanoCLR's built-in SNTP client, whose servers are fixed. It asks every minute until the
/// clock is set, then every six hours; the clock is set to the server's transmit time plus half the round trip.
/// </summary>
public sealed class NtpTimeSource
{
    public const int Port = 123;
    public const int TimeoutMilliseconds = 3000;
    public const int RetryMilliseconds = 60 * 1000;
    public const int RefreshMilliseconds = 6 * 3600 * 1000;

    private const long UnixEpochTicks = 621355968000000000L;

    private readonly string _host;
    private readonly int _port;
    private readonly IDatagramLink _link;
    private readonly IClock _clock;
    private readonly IClockSetter _clockSetter;
    private readonly byte[] _request = new byte[SntpMessage.Length];
    private readonly byte[] _reply = new byte[128];
    private long _queries;

    public NtpTimeSource(string host, int port, IDatagramLink link, IClock clock, IClockSetter clockSetter)
    {
        _host = host;
        _port = port;
        _link = link;
        _clock = clock;
        _clockSetter = clockSetter;
    }

    /// <summary>What the last query did, for the console and the log.</summary>
    public string LastResult { get; private set; } = "not asked yet";

    /// <summary>One query, setting the clock when it succeeds; returns the milliseconds to wait before the next.</summary>
    public int Poll()
    {
        if (!TryQuery(out var utc, out var error))
        {
            LastResult = _host + ": " + error;
            return RetryMilliseconds;
        }

        var refused = _clockSetter.SetClock(utc);
        LastResult = refused ?? "clock set from " + _host + " to " + Packet.PacketText.FormatTime(utc);
        return RefreshMilliseconds;
    }

    /// <summary>The server's time now, from one request and its reply; false with why.</summary>
    public bool TryQuery(out System.DateTime utc, out string error)
    {
        utc = System.DateTime.MinValue;
        SntpMessage.WriteRequest(_request, (_clock.MonotonicMilliseconds << 16) ^ ++_queries);
        var sent = _clock.MonotonicMilliseconds;
        var count = _link.Exchange(_host, _port, _request, SntpMessage.Length, _reply, TimeoutMilliseconds, out error);
        var arrived = _clock.MonotonicMilliseconds;
        if (count < 0 || !SntpMessage.TryRead(_reply, count, _request, out var received, out var transmitted, out error))
        {
            return false;
        }

        // The round trip without the server's own hold time; the reply is half of it old when it arrives.
        var hold = transmitted - received;
        var roundTrip = (arrived - sent) - (hold > 0 ? hold : 0);
        var unixMilliseconds = transmitted + ((roundTrip > 0 ? roundTrip : 0) / 2) + (_clock.MonotonicMilliseconds - arrived);
        utc = new System.DateTime(UnixEpochTicks + (unixMilliseconds * System.TimeSpan.TicksPerMillisecond), System.DateTimeKind.Utc);
        return true;
    }
}
