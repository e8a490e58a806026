using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Ingest.Guard;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Tests.Relay.Http;

namespace EdgeMeter.Receiver.Tests.Receiver.Ingest;

/// <summary>The broker guard's parts alone: framing limits across reads, the login throttle's minute, the summed-up log.</summary>
public sealed class GuardTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_frame_guard_follows_packets_split_anywhere_and_stops_at_the_first_length_over_its_limit()
    {
        // CONNECT of 3 bytes, PINGREQ (no body), PUBLISH of 300 bytes (length 0xAC 0x02), then a PUBLISH declaring 5000.
        byte[] bytes = [0x10, 0x03, 1, 2, 3, 0xC0, 0x00, 0x30, 0xAC, 0x02, .. new byte[300], 0x30, 0x88, 0x27];
        var connected = 0;
        string? refusal = null;
        using var guard = new MqttFrameGuardStream(new MemoryStream(bytes), maxConnectBytes: 16, maxPacketBytes: 4096, () => connected++, why => refusal = why);
        var buffer = new byte[7]; // odd-sized reads split headers and bodies

        var failure = Assert.Throws<IOException>(() =>
        {
            while (guard.Read(buffer, 0, buffer.Length) > 0)
            {
            }
        });

        Assert.Equal(1, connected);
        Assert.Equal("a packet over 4096 bytes", refusal);
        Assert.Contains("closed: a packet over 4096 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x00 }, "a first packet that is not a CONNECT")]
    [InlineData(new byte[] { 0x10, 0x11 }, "a CONNECT over 16 bytes")]
    [InlineData(new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, "a remaining length of more than 4 bytes")]
    public void The_first_packet_must_be_a_small_connect(byte[] bytes, string expected)
    {
        string? refusal = null;
        using var guard = new MqttFrameGuardStream(new MemoryStream(bytes), 16, 4096, () => { }, why => refusal = why);

        Assert.Throws<IOException>(() => guard.Read(new byte[64], 0, 64));
        Assert.Equal(expected, refusal);
    }

    [Theory]
    [InlineData("::ffff:10.0.0.7", "10.0.0.7")] // IPv4 on a dual-stack socket: the same source as itself
    [InlineData("2001:db8::7", "2001:db8::7")]
    [InlineData("10.0.0.7", "10.0.0.7")]
    public void A_source_address_is_one_key_whichever_socket_it_came_by(string remote, string expected) =>
        Assert.Equal(expected, PendingConnections.SourceOf(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(remote), 1883)).ToString());

    [Fact]
    public void Wrong_passwords_slow_a_client_id_from_any_address_and_refuse_an_address_until_its_minute_is_over()
    {
        var throttle = new LoginThrottle(new BrokerLimits { FailedLoginsPerClient = 5, FailedLoginsPerAddress = 20 }, _time);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(LoginVerdict.Check, throttle.Before("gw-0001", "10.0.0.1"));
            throttle.Failed("gw-0001", "10.0.0.1");
        }

        Assert.Equal(LoginVerdict.Slow, throttle.Before("gw-0001", "10.0.0.2")); // guessed at: slower from everywhere
        Assert.Equal(LoginVerdict.Check, throttle.Before("gw-0002", "10.0.0.2"));
        for (var i = 0; i < 15; i++)
        {
            throttle.Failed($"gw-{i + 100}", "10.0.0.1");
        }

        Assert.Equal(LoginVerdict.Refuse, throttle.Before("gw-0002", "10.0.0.1"));
        _time.Now += LoginThrottle.Window;
        Assert.Equal(LoginVerdict.Check, throttle.Before("gw-0001", "10.0.0.1"));
    }

    [Fact]
    public void The_sampled_log_writes_the_first_of_a_kind_then_one_sum_per_interval()
    {
        var log = new RecordingLog();
        var sampled = new SampledLog(log, TimeSpan.FromMinutes(1), _time);

        for (var i = 0; i < 1000; i++)
        {
            sampled.Note("refused logins", i % 2 == 0 ? "gw-0001 from 10.0.0.1" : "gw-0001 from 10.0.0.2");
            _time.Now += TimeSpan.FromMilliseconds(100); // 1000 in 100 s
        }

        Assert.Equal(2, sampled.Lines);
        Assert.Contains("refused logins: 600 more in 60 s (gw-0001 from 10.0.0.2 x 300, gw-0001 from 10.0.0.1 x 300)", log.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_sampled_log_stays_bounded_when_clients_choose_the_sources()
    {
        var log = new RecordingLog();
        var sampled = new SampledLog(log, TimeSpan.FromMinutes(1), _time);

        for (var i = 0; i < 5000; i++)
        {
            sampled.Note("refused logins", $"client-{i}-" + new string('x', 500) + " from 10.0.0.1");
        }

        _time.Now += TimeSpan.FromMinutes(1);
        sampled.Note("refused logins", "last");

        Assert.Equal(2, sampled.Lines);
        Assert.Contains("(other sources) x 4000", log.Lines[1], StringComparison.Ordinal);
        Assert.True(log.Lines.All(line => line.Length < 1000), "a client's long id is cut");
    }

    private sealed class RecordingLog : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
