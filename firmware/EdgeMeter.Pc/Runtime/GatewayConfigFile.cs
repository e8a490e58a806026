using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Config;

namespace EdgeMeter.Pc.Runtime;

/// <summary>Reads a gateway configuration file with the core's validator.</summary>
public static class GatewayConfigFile
{
    /// <summary>Loads and validates; a bad file is a usage error listing every problem with its JSON path.</summary>
    public static GatewayConfig Load(string path)
    {
        var config = TryLoad(path, out var problems);
        if (config == null)
        {
            var count = problems.Length == 1 ? "1 problem" : $"{problems.Length} problems";
            throw new CliException($"{path} has {count}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}", ExitCodes.Usage);
        }

        return config;
    }

    public static GatewayConfig? TryLoad(string path, out string[] problems)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            problems = [$"cannot read it: {failure.Message}"];
            return null;
        }

        return GatewayConfigReader.Read(bytes, bytes.Length, out problems);
    }
}
