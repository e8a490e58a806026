using System;
using System.IO;
using System.Reflection;
using EdgeMeter.Core.Packet;
using EdgeMeter.Firmware.Storage;

namespace EdgeMeter.Firmware.Update;

/// <summary>
/// At boot, starts the application version the <see cref="BootRecord"/> chooses: loads its .pe files from I: with
/// Assembly.Load after checking their SHA-256 again (flash can rot), then calls the manifest's entry Run().
/// </summary>
/// <remarks>
/// nanoCLR links a loaded assembly into the one type system and resolves references by name and major.minor
/// version, keeping the first match. A staged version's assemblies must therefore not reuse a name and major.minor
/// already in the deployed image (e.g. build the updatable application as EdgeMeter.App with its own version),
/// or references resolve to the deployed copy. Loaded assemblies stay until the next reboot.
/// </remarks>
public static class AppLauncher
{
    public const string ManifestFileName = "manifest.txt";

    /// <summary>
    /// Starts the chosen staged version; returns only if there is none or it cannot be loaded (then it is rejected
    /// and the caller runs the built-in application). Returns the reason, or "" when the built-in one was chosen.
    /// </summary>
    public static string TryStartStaged()
    {
        var record = BootRecord.Load();
        var version = record.ChooseForThisBoot();
        if (version.Length == 0)
        {
            return "";
        }

        MethodInfo? run;
        try
        {
            run = Load(version, out var error);
            if (run == null)
            {
                record.Reject(version);
                return version + ": " + error;
            }
        }
        catch (Exception failure)
        {
            record.Reject(version);
            return version + ": " + failure.Message;
        }

        // A crash or hang from here on costs one of the version's tries (the watchdog reboots a hang).
        run.Invoke(null, null);
        return version + ": Run() returned";
    }

    private static MethodInfo? Load(string version, out string error)
    {
        var directory = DevicePaths.UpdateDirectory + "\\" + version;
        var manifest = UpdateManifest.Parse(File.ReadAllText(directory + "\\" + ManifestFileName), out error);
        if (manifest == null)
        {
            return null;
        }

        var sha = new Sha256();
        var digest = new byte[Sha256.HashLength];
        Assembly? entryAssembly = null;
        for (var i = 0; i < manifest.Files.Length; i++)
        {
            var file = manifest.Files[i];
            var bytes = File.ReadAllBytes(directory + "\\" + file.Name);
            sha.Reset();
            sha.Update(bytes, 0, bytes.Length);
            sha.Final(digest, 0);
            if (bytes.Length != file.Size || Hex.Encode(digest) != file.Sha256)
            {
                error = file.Name + " on flash does not match its SHA-256";
                return null;
            }

            var assembly = Assembly.Load(bytes);
            if (assembly.GetType(manifest.Entry) != null)
            {
                entryAssembly = assembly;
            }
        }

        var entry = entryAssembly?.GetType(manifest.Entry);
        var run = entry?.GetMethod("Run");
        if (run == null || !run.IsStatic)
        {
            error = "no public static " + manifest.Entry + ".Run()";
            return null;
        }

        error = "";
        return run;
    }
}
