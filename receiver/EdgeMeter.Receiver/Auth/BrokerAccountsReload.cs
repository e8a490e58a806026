using EdgeMeter.Receiver.Config;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Auth;

/// <summary>
/// Reads the configuration file again when it changed (checked with the key file, every Keys.ReloadSeconds) and gives
/// the embedded broker its gateway and platform accounts: a gateway added by `gateways import` connects without a
/// restart. Everything else in the file takes effect at the next start; a file that does not validate changes nothing.
/// </summary>
public sealed class BrokerAccountsReload(string configPath, BrokerCredentials credentials, ILogger log)
{
    private (DateTime, long) _stamp = Stamp(configPath);

    /// <summary>Takes the accounts of a changed, valid file; returns whether it did.</summary>
    public bool CheckNow()
    {
        var stamp = Stamp(configPath);
        if (stamp == _stamp)
        {
            return false;
        }

        try
        {
            var options = ConfigLoader.Load(configPath);
            _stamp = stamp;
            var before = credentials.GatewayCount;
            credentials.Replace(options);
            log.LogInformation("{Path} changed: broker accounts reloaded ({Before} -> {After} gateways); other changes take effect at the next start",
                configPath, before, credentials.GatewayCount);
            return true;
        }
        catch (ConfigException failure)
        {
            // Not remembered as seen: a file caught mid-write is read again at the next check.
            log.LogWarning("{Path} changed but is refused, the broker keeps its accounts: {Problem}", configPath, failure.Message);
            return false;
        }
    }

    private static (DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
    }
}
