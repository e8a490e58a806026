using System.Reflection;

namespace EdgeMeter.Host.Demo;

/// <summary>
/// Where the programs the demo starts are. edgemeter and edgemeter-meter-sim sit next to this program; the
/// receiver and the platform simulator where their own projects built them, recorded at build time
/// (EdgeMeter.Host.csproj, RecordDemoPrograms): the demo runs them and talks to their public interfaces (command
/// line, MQTT, admin API, metrics, record API) and has no reference to their code.
/// </summary>
internal static class DemoPrograms
{
    private const string Prefix = "DemoProgram:";

    private static readonly Dictionary<string, string> Recorded = typeof(DemoPrograms).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Key.StartsWith(Prefix, StringComparison.Ordinal) && a.Value != null)
        .ToDictionary(a => a.Key[Prefix.Length..], a => a.Value!, StringComparer.Ordinal);

    /// <summary>The path of a program's assembly (e.g. "edgemeter-receiver.dll") to run with `dotnet`.</summary>
    public static string PathOf(string assembly)
    {
        var recorded = Recorded.TryGetValue(assembly, out var path) && File.Exists(path) ? path : null;
        return recorded ?? Path.Combine(AppContext.BaseDirectory, assembly);
    }
}
