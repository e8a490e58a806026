namespace EdgeMeter.PlatformSim;

/// <summary>The edgemeter-platform-sim process: parse options, serve until Ctrl+C or SIGTERM.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        PlatformSimCommandLine command;
        try
        {
            command = PlatformSimArguments.Parse(args);
        }
        catch (FormatException problem)
        {
            await Console.Error.WriteLineAsync($"edgemeter-platform-sim: error: {problem.Message}");
            return 2;
        }

        if (command.Help)
        {
            Console.WriteLine(PlatformSimArguments.Usage);
            return 0;
        }

        var options = command.Options;
        options.RunsAsProcess = true;
        await using var sim = await PlatformSimulator.StartAsync(options, command.Urls);
        Console.WriteLine(
            $"edgemeter-platform-sim [{sim.Name}] listening on {sim.BaseAddress} " +
            $"(enterprises: {string.Join(", ", options.EffectiveEnterprises.Keys)}; " +
            $"regVersion {sim.RegVersion}, dicVersion {sim.DicVersion})");
        await sim.WaitForShutdownAsync();
        return 0;
    }
}
