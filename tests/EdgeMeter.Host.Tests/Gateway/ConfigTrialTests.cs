using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Pc.Runtime;

namespace EdgeMeter.Host.Tests.Gateway;

/// <summary>set-config on a PC gateway: the new configuration is kept only once the broker is reached with it.</summary>
public class ConfigTrialTests
{
    [Fact]
    public async Task A_configuration_that_cannot_reach_the_broker_is_rolled_back_and_a_good_one_is_kept()
    {
        await using var rig = new GatewayRig();
        await rig.Broker.StartAsync();
        var original = File.ReadAllText(rig.ConfigPath);
        using var log = new StringWriter();
        using var stop = new CancellationTokenSource();
        var host = new GatewayHost(rig.ConfigPath, new GatewayData(rig.DataPath), rig.Keys, TextWriter.Synchronized(log),
            new GatewayHostOptions(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), null) { DrainPeriod = TimeSpan.Zero });
        var running = Task.Run(() => host.Run(stop.Token), TestContext.Current.CancellationToken);

        await Until(() => rig.Broker.On("/status").Count >= 1);
        var unreachable = rig.ConfigJson(brokerPort: FreePort.Next());
        await rig.Broker.InjectAsync("edgemeter/v1/gw-test/down", SetConfig(1, unreachable));
        await Until(() => log.ToString().Contains("new configuration rolled back", StringComparison.Ordinal));
        // Back on the old configuration and connected again (the test broker keeps no offline sessions).
        await Until(() => log.ToString().Split("stopped (rollback)") is [_, var after] && after.Contains("; connected", StringComparison.Ordinal));
        Assert.Equal(original, File.ReadAllText(rig.ConfigPath));

        var better = original.Replace("\"statusIntervalSeconds\":10", "\"statusIntervalSeconds\":11", StringComparison.Ordinal);
        await rig.Broker.InjectAsync("edgemeter/v1/gw-test/down", SetConfig(2, better));
        await Until(() => log.ToString().Contains("new configuration confirmed", StringComparison.Ordinal));
        stop.Cancel();
        Assert.Equal(0, await running);

        Assert.Equal(better, File.ReadAllText(rig.ConfigPath));
        Assert.False(File.Exists(Path.Combine(rig.DataPath, "config.candidate.json")));
    }

    private static byte[] SetConfig(long sequence, string config)
    {
        var signer = new PacketSigner("gw-test", 1, GatewayRig.Key, new DotNetPacketMac(), 32768);
        var command = new GatewayCommand { Name = "set-config", ExpiresUtc = DateTime.UtcNow.AddMinutes(5), Arguments = [new CommandArgument("config", config)] };
        Assert.True(signer.SignCommand(sequence, DateTime.UtcNow, command));
        return signer.Packet[..signer.Length];
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not reached within 30 s");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
