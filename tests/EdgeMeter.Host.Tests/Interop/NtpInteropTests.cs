using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Time;
using EdgeMeter.Host.Cli;
using EdgeMeter.Pc.Time;

namespace EdgeMeter.Host.Tests.Interop;

/// <summary>
/// The board's NTP client (Core's SntpMessage and NtpTimeSource, over the PC's UDP link) against chrony, the NTP server
/// docs/receiver.md suggests for the receiver's host on an isolated network.
/// </summary>
public sealed class NtpInteropTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-chrony-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_gateways_ntp_client_takes_the_time_from_chrony_and_the_ntp_command_prints_it()
    {
        var chronyd = Peers.Require("chronyd", "chrony");
        var port = FreePort.Next();
        var config = Path.Combine(_directory, "chrony.conf");
        File.WriteAllText(config, $"port {port}\nbindaddress 127.0.0.1\nallow 127.0.0.1\nlocal stratum 8\ncmdport 0\npidfile {_directory}/chronyd.pid\n");
        string[] user = Environment.UserName == "root" ? ["-u", "root"] : [];
        using var server = ChildProcess.Start(chronyd, ["-d", "-x", .. user, "-f", config]); // -x: never touches this machine's clock
        var setter = new RecordingClockSetter();
        var source = new NtpTimeSource("127.0.0.1", port, new UdpDatagramLink(), new Pc.Time.SystemClock(), setter);

        var wait = 0;
        for (var attempt = 0; attempt < 20 && setter.SetTo is null; attempt++)
        {
            Assert.False(server.HasExited, "chronyd exited: " + server.Output);
            wait = source.Poll();
            Thread.Sleep(setter.SetTo is null ? 500 : 0);
        }

        Assert.True(setter.SetTo is not null, $"no time from chrony: {source.LastResult}; {server.Output}");
        Assert.Equal(NtpTimeSource.RefreshMilliseconds, wait);
        Assert.InRange((setter.SetTo.Value - DateTime.UtcNow).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(2));

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(ExitCodes.Ok, EdgeMeterCli.Run(["ntp", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], output, error));
        Assert.StartsWith($"127.0.0.1: {DateTime.UtcNow:yyyy-MM-dd}", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_does_not_answer_is_one_clear_error_and_exit_1()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = EdgeMeterCli.Run(["ntp", "127.0.0.1", "--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)], output, error);

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Matches("^edgemeter: error: 127.0.0.1: (no answer within 3000 ms|.*refused.*)\n$", error.ToString());
    }
}
