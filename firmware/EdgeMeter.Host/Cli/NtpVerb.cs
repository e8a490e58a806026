using System.CommandLine;
using System.Globalization;
using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Time;
using EdgeMeter.Pc.Cli;
using EdgeMeter.Pc.Time;

namespace EdgeMeter.Host.Cli;

/// <summary>
/// `edgemeter ntp HOST`: asks an NTP server for the time the way a board does (time.ntpServer), so a technician can
/// check from the gateway's network that the server answers before the board relies on it. Sets nothing.
/// </summary>
public static class NtpVerb
{
    public static Command Create(CliConsole console)
    {
        var host = new Argument<string>("HOST") { Description = "The NTP server (time.ntpServer of the gateway's configuration)." };
        var port = new Option<int>("--port") { Description = "UDP port.", DefaultValueFactory = _ => NtpTimeSource.Port };
        var command = new Command("ntp", "Ask an NTP server for the time as a gateway does; prints it and this machine's offset.") { host, port };
        command.SetAction(parse =>
        {
            if (parse.GetValue(port) is < 1 or > 65535)
            {
                throw new CliException("--port must be 1-65535", ExitCodes.Usage);
            }

            var clock = new SystemClock();
            var source = new NtpTimeSource(parse.GetValue(host)!, parse.GetValue(port), new UdpDatagramLink(), clock, new NothingSet());
            if (!source.TryQuery(out var utc, out var error))
            {
                throw new CliException($"{parse.GetValue(host)}: {error}", ExitCodes.Failure);
            }

            var offset = (utc - DateTime.UtcNow).TotalSeconds;
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{parse.GetValue(host)}: {utc:yyyy-MM-ddTHH:mm:ss.fffZ}; the server is {offset:+0.000;-0.000} s from this machine's clock"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed class NothingSet : IClockSetter
    {
        public string? SetClock(DateTime utc) => "ntp only asks";
    }
}
