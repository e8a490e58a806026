using EdgeMeter.Core.Time;

namespace EdgeMeter.Core.Tests.Time;

/// <summary>The SNTP message and the board's NTP time source (time.ntpServer); chrony agrees in EdgeMeter.Host.Tests.</summary>
public class SntpTests
{
    private static readonly DateTime ServerNow = new(2026, 12, 5, 20, 0, 0, 250, DateTimeKind.Utc);

    [Fact]
    public void A_request_is_version_4_client_mode_with_the_nonce_as_its_transmit_time()
    {
        var request = new byte[SntpMessage.Length];
        SntpMessage.WriteRequest(request, 0x0102030405060708);

        Assert.Equal(0x23, request[0]);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], request[40..48]);
        Assert.All(request[1..40], b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData("1970-01-01T00:00:00.001Z")]
    [InlineData("2026-12-05T20:00:00.250Z")]
    [InlineData("2036-02-07T06:28:17.000Z")] // the first second of NTP era 1 (its very start is the all-zero "no time")
    [InlineData("2040-06-01T12:34:56.789Z")]
    public void Ntp_timestamps_round_trip_across_the_2036_era_boundary(string text)
    {
        var unix = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var data = new byte[8];

        SntpMessage.WriteUnixMilliseconds(data, 0, unix);

        Assert.Equal(unix, SntpMessage.UnixMilliseconds(data, 0));
    }

    [Fact]
    public void The_era_0_encoding_of_a_known_instant_is_the_rfc_layout()
    {
        // 2000-01-01T00:00:00Z is 3,155,673,600 s after 1900-01-01 (0xBC17C200), the value RFC 4330's readers know;
        // half a second is a fraction of 0x80000000.
        var data = new byte[8];
        SntpMessage.WriteUnixMilliseconds(data, 0, new DateTimeOffset(2000, 1, 1, 0, 0, 0, 500, TimeSpan.Zero).ToUnixTimeMilliseconds());
        Assert.Equal(new byte[] { 0xBC, 0x17, 0xC2, 0x00, 0x80, 0, 0, 0 }, data);
    }

    [Theory]
    [InlineData(0x24, 2, "")]
    [InlineData(0x23, 2, "not a server reply (mode 3)")]
    [InlineData(0x24, 0, "the server refused (kiss-o'-death)")]
    [InlineData(0x24, 16, "stratum 16 is unsynchronized")]
    [InlineData(0xE4, 2, "the server's clock is not synchronized")]
    public void A_reply_is_taken_only_from_a_synchronized_server(byte first, byte stratum, string expected)
    {
        var (request, reply) = Exchange();
        reply[0] = first;
        reply[1] = stratum;

        var ok = SntpMessage.TryRead(reply, reply.Length, request, out _, out var transmitted, out var error);

        Assert.Equal(expected.Length == 0, ok);
        Assert.Equal(expected, error);
        Assert.Equal(ok ? new DateTimeOffset(ServerNow).ToUnixTimeMilliseconds() : 0, transmitted);
    }

    [Fact]
    public void A_reply_that_does_not_echo_our_nonce_or_is_short_is_refused()
    {
        var (request, reply) = Exchange();
        reply[31] ^= 1;
        Assert.False(SntpMessage.TryRead(reply, reply.Length, request, out _, out _, out var stray));
        Assert.Equal("the reply does not answer our request (originate timestamp differs)", stray);
        Assert.False(SntpMessage.TryRead(reply, 47, request, out _, out _, out var shortReply));
        Assert.Equal("a reply of 47 bytes (SNTP needs 48)", shortReply);
    }

    [Fact]
    public void The_time_source_sets_the_clock_to_the_servers_time_plus_half_the_round_trip()
    {
        var clock = new ManualClock(new DateTime(1970, 1, 1, 0, 5, 0, DateTimeKind.Utc));
        var link = new ServerLink(clock, ServerNow, roundTripMilliseconds: 400);
        var setter = new RecordingClockSetter();
        var source = new NtpTimeSource("ntp.plant.local", NtpTimeSource.Port, link, clock, setter);

        var wait = source.Poll();

        Assert.Equal(NtpTimeSource.RefreshMilliseconds, wait);
        Assert.Equal(ServerNow.AddMilliseconds(200), setter.SetTo);
        Assert.Equal(("ntp.plant.local", 123), (link.Host, link.Port));
        Assert.StartsWith("clock set from ntp.plant.local", source.LastResult, StringComparison.Ordinal);
    }

    [Fact]
    public void No_answer_sets_nothing_and_asks_again_in_a_minute()
    {
        var clock = new ManualClock(new DateTime(1970, 1, 1, 0, 5, 0, DateTimeKind.Utc));
        var setter = new RecordingClockSetter();
        var source = new NtpTimeSource("ntp.plant.local", 123, new ServerLink(clock, ServerNow, 0) { Silent = true }, clock, setter);

        Assert.Equal(NtpTimeSource.RetryMilliseconds, source.Poll());
        Assert.Null(setter.SetTo);
        Assert.Equal("ntp.plant.local: no answer within 3000 ms", source.LastResult);
    }

    private static (byte[] Request, byte[] Reply) Exchange()
    {
        var request = new byte[SntpMessage.Length];
        SntpMessage.WriteRequest(request, 0x1122334455667788);
        return (request, ServerLink.Reply(request, ServerNow, ServerNow));
    }

    /// <summary>A server whose reply takes the given round trip on the manual clock.</summary>
    private sealed class ServerLink(ManualClock clock, DateTime serverNow, int roundTripMilliseconds) : IDatagramLink
    {
        public bool Silent { get; init; }

        public string Host { get; private set; } = "";

        public int Port { get; private set; }

        public static byte[] Reply(byte[] request, DateTime received, DateTime transmitted)
        {
            var reply = new byte[SntpMessage.Length];
            reply[0] = 0x24; // LI 0, VN 4, mode 4
            reply[1] = 2;
            Array.Copy(request, 40, reply, 24, 8);
            SntpMessage.WriteUnixMilliseconds(reply, 32, new DateTimeOffset(received).ToUnixTimeMilliseconds());
            SntpMessage.WriteUnixMilliseconds(reply, 40, new DateTimeOffset(transmitted).ToUnixTimeMilliseconds());
            return reply;
        }

        public int Exchange(string host, int port, byte[] request, int count, byte[] reply, int timeoutMilliseconds, out string error)
        {
            (Host, Port) = (host, port);
            if (Silent)
            {
                clock.Advance(timeoutMilliseconds);
                error = $"no answer within {timeoutMilliseconds} ms";
                return -1;
            }

            clock.Advance(roundTripMilliseconds);
            var answer = Reply(request, serverNow, serverNow);
            answer.CopyTo(reply, 0);
            error = "";
            return answer.Length;
        }
    }
}
