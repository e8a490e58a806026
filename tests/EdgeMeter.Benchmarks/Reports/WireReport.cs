using EdgeMeter.Benchmarks.Support;

namespace EdgeMeter.Benchmarks.Reports;

/// <summary>
/// Issue 20, part 3, counted exactly: what readings cost on a gateway's cellular link. The whole gateway core
/// (<see cref="BenchGateway"/>: 16 DL/T 645 meters x 8 points against the meter simulator, default packet size)
/// polls and publishes; every PUBLISH is counted as MQTT 3.1.1 sends it. The month adds what TLS and TCP/IP put
/// around each packet and its PUBACK, which is what a data plan bills.
/// </summary>
public static class WireReport
{
    /// <summary>TLS 1.2 AES-GCM record: 5-byte header, 8-byte explicit nonce, 16-byte tag.</summary>
    public const int TlsRecordBytes = 29;

    /// <summary>IPv4 and TCP headers without options (lwIP on the ESP32 sends no timestamps).</summary>
    public const int TcpIpBytes = 40;

    /// <summary>A QoS 1 PUBACK: 4 bytes of MQTT in its own TLS record and segment.</summary>
    public const int PubackBytes = 4 + TlsRecordBytes + TcpIpBytes;

    public const int DaysPerMonth = 30;

    /// <summary>The figures of one payload schema at one polling interval.</summary>
    public sealed record WireFigures(int PayloadVersion, int PollSeconds, long Readings, long UpPackets, long UpPublishBytes, long StatusPackets, long StatusPublishBytes)
    {
        public double ReadingsPerPacket => (double)Readings / UpPackets;

        public double MqttBytesPerReading => (double)UpPublishBytes / Readings;

        public double ReadingsPerMonth => 128.0 * DaysPerMonth * 86400 / PollSeconds;

        /// <summary>Readings' PUBLISH bytes in a month, MB.</summary>
        public double MqttMegabytesPerMonth => MqttBytesPerReading * ReadingsPerMonth / 1e6;

        /// <summary>The same with each packet's TLS record, TCP/IP headers and its PUBACK, both directions, MB.</summary>
        public double LinkMegabytesPerMonth =>
            (ReadingsPerMonth * MqttBytesPerReading + (ReadingsPerMonth / ReadingsPerPacket * (TlsRecordBytes + TcpIpBytes + PubackBytes))) / 1e6;

        /// <summary>Status packets at the given interval, with the same overhead, MB per month.</summary>
        public double StatusMegabytesPerMonth(int statusSeconds) =>
            (double)DaysPerMonth * 86400 / statusSeconds * (((double)StatusPublishBytes / StatusPackets) + TlsRecordBytes + TcpIpBytes + PubackBytes) / 1e6;
    }

    /// <summary>Polls <paramref name="cycles"/> cycles of a 16-meter gateway and counts what it published.</summary>
    public static WireFigures Measure(int payloadVersion, int pollSeconds, int cycles)
    {
        using var gateway = new BenchGateway(new BenchGatewayOptions
        {
            Dlt645Meters = 16, ModbusMeters = 0, PollSeconds = pollSeconds, PayloadVersion = payloadVersion, BufferBudgetBytes = 1024 * 1024,
        });
        for (var i = 0; i < cycles; i++)
        {
            gateway.RunCycle();
        }

        // The last cycle's partly filled packet goes out at the next upload interval, as on a device.
        gateway.Clock.Advance(60_000);
        gateway.DrainUplink();
        var transport = gateway.Transport;
        return new WireFigures(
            payloadVersion, pollSeconds, gateway.Runtime.Uplink.ReadingsAcknowledged, transport.UpPackets, transport.UpPublishBytes,
            transport.StatusPackets, transport.StatusPublishBytes);
    }

    public static ResultTable Run(bool smoke)
    {
        var table = new ResultTable(
            "wire",
            "Bytes per reading on the cellular link: 16 DL/T 645 meters x 8 points, 1024-byte packets (issue 20, part 3; counted exactly)",
            "payload", "polling", "readings", "readings/packet", "MQTT bytes/reading", "readings MB/month (MQTT)",
            "readings MB/month (+TLS, TCP/IP, PUBACK)", "status every 60 s, MB/month", "status every 900 s, MB/month");
        foreach (var pollSeconds in new[] { 900, 60 })
        {
            foreach (var version in new[] { 1, 2 })
            {
                var cycles = smoke ? 4 : 86400 / pollSeconds;
                var figures = Measure(version, pollSeconds, cycles);
                table.Add(
                    "v" + version, pollSeconds == 900 ? "15 min" : "1 min", figures.Readings, Math.Round(figures.ReadingsPerPacket, 1),
                    Math.Round(figures.MqttBytesPerReading, 1), Math.Round(figures.MqttMegabytesPerMonth, 1), Math.Round(figures.LinkMegabytesPerMonth, 1),
                    Math.Round(figures.StatusMegabytesPerMonth(60), 1), Math.Round(figures.StatusMegabytesPerMonth(900), 1));
            }
        }

        table.Notes.Add("Target: at most 40 MQTT bytes per reading (PUBLISH bytes / readings) with the default packet size. One simulated day per row (" + (smoke ? "4 cycles in the smoke run" : "96 or 1440 cycles") + "); a month is 30 days.");
        table.Notes.Add($"Link overhead per packet: a TLS 1.2 AES-GCM record ({TlsRecordBytes} B), IPv4 + TCP headers ({TcpIpBytes} B), and the PUBACK coming back ({PubackBytes} B with its own record and headers). TCP acknowledgements, keep-alives while idle, and the TLS handshake at each reconnect come on top.");
        table.Notes.Add("The status packet (16 meters' health) is the same in both schemas; at the default statusIntervalSeconds of 60 it costs more than the readings of a 15-minute gateway.");
        return table;
    }
}
