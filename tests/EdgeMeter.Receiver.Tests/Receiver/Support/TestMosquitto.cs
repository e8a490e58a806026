namespace EdgeMeter.Receiver.Tests.Receiver.Support;

/// <summary>Debian's Mosquitto for a test: anonymous on a loopback port, no persistence, packets up to a command's size.</summary>
internal static class TestMosquitto
{
    public const string Program = "/usr/sbin/mosquitto";

    /// <summary>The configuration, with <paramref name="extra"/> lines, written to a file in <paramref name="directory"/>.</summary>
    public static string Config(string directory, int port, string extra = "")
    {
        var config = Path.Combine(directory, $"mosquitto-{port}.conf");
        File.WriteAllText(config, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stdout\nmax_packet_size 34000\n{extra}\n");
        return config;
    }

    /// <summary>Starts it (skipped with the reason where it is not installed, failed under CI) and waits until it listens.</summary>
    public static async Task<ChildProcess> StartAsync(string directory, int port)
    {
        Peers.Require(Program, "mosquitto");
        var mosquitto = ChildProcess.Start(Program, "-c", Config(directory, port));
        await mosquitto.WaitForPortAsync(port, "mosquitto to listen");
        return mosquitto;
    }
}
