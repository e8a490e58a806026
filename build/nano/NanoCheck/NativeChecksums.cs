using System.Text.RegularExpressions;
using EdgeMeter.Firmware.Update;

namespace EdgeMeter.NanoCheck;

/// <summary>
/// nanoCLR loads an assembly with native methods only when its native checksum equals the one compiled into the
/// board firmware (CLR_RT_NativeAssemblyData in nf-interpreter); otherwise the whole application fails to start
/// ("Invalid native checksum" on the debug console). This compares each image with an nf-interpreter source tree,
/// so that the board firmware an application needs is known before it is flashed.
/// </summary>
public static partial class NativeChecksums
{
    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length < 2 || !Directory.Exists(args[0]))
        {
            output.WriteLine("nanocheck natives: needs an nf-interpreter source folder and .pe images");
            return 2;
        }

        var firmware = Read(args[0]);
        output.WriteLine("| assembly | image's native checksum | nf-interpreter's | native version | |");
        output.WriteLine("|---|---|---|---|---|");
        var mismatches = 0;
        foreach (var path in args.Skip(1))
        {
            var image = AssemblyImage.Read(new ImageBytes(File.ReadAllBytes(path)), out var error);
            if (image == null)
            {
                output.WriteLine($"{path}: {error}");
                return 2;
            }

            if (image.NativeChecksum == 0)
            {
                continue;
            }

            var found = firmware.TryGetValue(image.Name, out var native);
            var matches = found && native.Checksum == image.NativeChecksum;
            mismatches += matches ? 0 : 1;
            output.WriteLine($"| {image.Name} | 0x{image.NativeChecksum:X8} | {(found ? "0x" + native.Checksum.ToString("X8") : "not in this firmware")} "
                + $"| {(found ? native.Version : "")} | {(matches ? "ok" : "**MISMATCH**: the board would not start the application")} |");
        }

        return mismatches == 0 ? 0 : 1;
    }

    /// <summary>
    /// Every CLR_RT_NativeAssemblyData of an ESP32 board firmware built from the tree (src/ and targets/ESP32/):
    /// assembly name -> checksum and native version.
    /// </summary>
    public static Dictionary<string, (uint Checksum, string Version)> Read(string root)
    {
        var result = new Dictionary<string, (uint, string)>(StringComparer.Ordinal);
        var sources = new[] { "src", "targets/ESP32" }.Select(d => Path.Combine(root, d)).Where(Directory.Exists);
        foreach (var file in sources.SelectMany(d => Directory.EnumerateFiles(d, "*.cpp", SearchOption.AllDirectories)))
        {
            foreach (Match m in NativeAssemblyData().Matches(File.ReadAllText(file)))
            {
                result[m.Groups["name"].Value] = (Convert.ToUInt32(m.Groups["checksum"].Value, 16), m.Groups["version"].Value.Replace(" ", "", StringComparison.Ordinal).Replace(',', '.'));
            }
        }

        return result;
    }

    // The first checksum after the name; mscorlib's sits in #if CONFIG_NF_FEATURE_SUPPORT_REFLECTION (the reflection
    // build, which the ESP32 firmwares are) with the other variant after #elif.
    [GeneratedRegex(@"CLR_RT_NativeAssemblyData\s+\w+\s*=\s*\{\s*""(?<name>[^""]+)""\s*,(?:\s|#[^\n]*\n)*0x(?<checksum>[0-9A-Fa-f]+)\s*,[^{}]*?\{(?<version>[^}]*)\}")]
    private static partial Regex NativeAssemblyData();
}
