using System.Diagnostics;
using System.IO;
using EdgeMeter.Core.Config;
using EdgeMeter.Firmware.Buffer;
using EdgeMeter.Firmware.Provisioning;

namespace EdgeMeter.Firmware.Runtime;

/// <summary>
/// The configuration on I:, with the same trial rule as the PC gateway: a configuration received with set-config
/// is tried at the next start and kept only once the broker has been reached with it; a start that finds a trial
/// still running (the board reset during it) rolls back to the previous one.
/// </summary>
/// <remarks>
/// nanoFramework's File.Move refuses an existing target, so a file is replaced by writing NAME.new, deleting NAME
/// and renaming; <see cref="Load"/> finishes a replacement that power loss interrupted.
/// </remarks>
public static class DeviceConfigFiles
{
    private const string NewSuffix = ".new";

    /// <summary>The configuration to run, or null with the first <paramref name="problem"/>.</summary>
    public static GatewayConfig? Load(out bool trial, out string problem)
    {
        trial = false;
        Recover(DevicePaths.Config);
        if (File.Exists(DevicePaths.TrialMarker))
        {
            RollBack();
        }
        else if (File.Exists(DevicePaths.CandidateConfig))
        {
            var candidate = Read(DevicePaths.CandidateConfig, out problem);
            if (candidate != null)
            {
                File.WriteAllText(DevicePaths.TrialMarker, "trial\n");
                trial = true;
                return candidate;
            }

            RollBack();
        }

        if (!File.Exists(DevicePaths.Config))
        {
            problem = DevicePaths.Config + " is missing (edgemeter provision, then nanoff --filedeployment)";
            return null;
        }

        return Read(DevicePaths.Config, out problem);
    }

    public static void StageCandidate(byte[] json, int count)
    {
        using (var file = new FileStream(DevicePaths.CandidateConfig + NewSuffix, FileMode.Create, FileAccess.Write))
        {
            file.Write(json, 0, count);
        }

        Replace(DevicePaths.CandidateConfig);
    }

    /// <summary>The candidate reached the broker: it becomes the configuration.</summary>
    public static void Promote()
    {
        File.Copy(DevicePaths.CandidateConfig, DevicePaths.Config + NewSuffix, true);
        Replace(DevicePaths.Config);
        RollBack();
    }

    /// <summary>Drops the candidate and the trial marker: the next start runs the configuration.</summary>
    public static void RollBack()
    {
        Delete(DevicePaths.CandidateConfig);
        Delete(DevicePaths.TrialMarker);
    }

    private static GatewayConfig? Read(string path, out string problem)
    {
        GatewayConfig? config;
        string[] errors;
        using (var file = new FileBytes(path))
        {
            config = GatewayConfigReader.Read(file, out errors); // a meter at a time: the file is never in RAM whole
        }

        problem = config == null ? path + ": " + (errors.Length > 0 ? errors[0] : "not valid") : "";
        for (var i = 0; config != null && i < config.Notes.Length; i++)
        {
            Debug.WriteLine(path + ": note: " + config.Notes[i]);
        }

        return config;
    }

    private static void Replace(string path)
    {
        Delete(path);
        File.Move(path + NewSuffix, path);
    }

    private static void Recover(string path)
    {
        if (!File.Exists(path) && File.Exists(path + NewSuffix))
        {
            File.Move(path + NewSuffix, path);
        }
    }

    private static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
