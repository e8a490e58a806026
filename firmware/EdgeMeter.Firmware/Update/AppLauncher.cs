using System;
using System.IO;
using System.Reflection;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Text;
using EdgeMeter.Core.Update;
using EdgeMeter.Firmware.Buffer;
using EdgeMeter.Firmware.Provisioning;

namespace EdgeMeter.Firmware.Update;

/// <summary>
/// At boot, starts the application version the <see cref="BootRecord"/> chooses: loads its .pe files from I: with
/// Assembly.Load after checking their SHA-256 again (flash can rot), then calls the manifest's entry Run().
/// </summary>
/// <remarks>
/// nanoCLR links a loaded assembly into the one type system and resolves references by name and major.minor
/// version, keeping the first match; <see cref="UpdateCompatibility"/> checks, before anything is loaded, that the
/// staged assemblies (EdgeMeter.Core.pe and EdgeMeter.Firmware.pe of a release with a new major.minor) can run on the
/// board's libraries. Loaded assemblies stay until the next reboot.
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

        var bytes = new byte[manifest.Files.Length][];
        var images = new AssemblyImage[manifest.Files.Length];
        var sha = new Sha256();
        var digest = new byte[Sha256.HashLength];
        for (var i = 0; i < manifest.Files.Length; i++)
        {
            var file = manifest.Files[i];
            bytes[i] = File.ReadAllBytes(directory + "\\" + file.Name);
            sha.Reset();
            sha.Update(bytes[i], 0, bytes[i].Length);
            sha.Final(digest, 0);
            if (bytes[i].Length != file.Size || Hex.Encode(digest) != file.Sha256)
            {
                error = file.Name + " on flash does not match its SHA-256";
                return null;
            }

            var image = AssemblyImage.Read(new ImageBytes(bytes[i]), out error);
            if (image == null)
            {
                error = file.Name + ": " + error;
                return null;
            }

            images[i] = image;
        }

        // The board may have been flashed with another firmware since the version was staged.
        var incompatible = UpdateCompatibility.Check(images, new LoadedAssemblies());
        if (incompatible != null)
        {
            error = incompatible;
            return null;
        }

        Assembly? entryAssembly = null;
        for (var i = 0; i < bytes.Length; i++)
        {
            var assembly = Assembly.Load(bytes[i]);
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
