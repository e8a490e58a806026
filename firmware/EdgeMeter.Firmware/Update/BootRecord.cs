using System;
using System.IO;
using EdgeMeter.Core.Update;
using EdgeMeter.Firmware.Buffer;
using EdgeMeter.Firmware.Provisioning;

namespace EdgeMeter.Firmware.Update;

/// <summary>
/// Which application version the board starts: the built-in image (deployed with nanoff), or a version staged on I:
/// by <see cref="FirmwareUpdater"/>. A staged version is tried at most <see cref="MaxTries"/> boots; unless it calls
/// <see cref="ConfirmRunning"/> by then (once its uplink has connected), the board goes back to the version before it.
/// </summary>
/// <remarks>
/// Stored as three text lines in boot.txt. It is replaced by writing boot.new, deleting boot.txt and renaming
/// (nanoFramework's File.Move refuses an existing target). Power lost in between leaves boot.new alone, which
/// <see cref="Load"/> reads; both lost means the built-in image starts, which is always safe.
/// </remarks>
public sealed class BootRecord
{
    public const int MaxTries = 3;
    private const string FileName = DevicePaths.UpdateDirectory + "\\boot.txt";
    private const string NewFileName = DevicePaths.UpdateDirectory + "\\boot.new";

    /// <summary>The version in use ("" = the built-in image).</summary>
    public string Active { get; private set; } = "";

    /// <summary>A staged version being tried ("" = none).</summary>
    public string Pending { get; private set; } = "";

    /// <summary>Boots the pending version has had so far.</summary>
    public int Tries { get; private set; }

    public static BootRecord Load()
    {
        var record = new BootRecord();
        var path = File.Exists(FileName) ? FileName : File.Exists(NewFileName) ? NewFileName : null;
        if (path == null)
        {
            return record;
        }

        var lines = File.ReadAllText(path).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Trim().Split(' ');
            var value = parts.Length == 2 ? parts[1] : "";
            if (parts[0] == "active" && UpdateManifest.IsName(value))
            {
                record.Active = value;
            }
            else if (parts[0] == "pending" && UpdateManifest.IsName(value))
            {
                record.Pending = value;
            }
            else if (parts[0] == "tries")
            {
                record.Tries = ParseTries(value);
            }
        }

        return record;
    }

    /// <summary>
    /// Decides which version this boot starts and records the attempt: the pending one while it has tries left,
    /// otherwise the active one. Returns "" for the built-in image.
    /// </summary>
    public string ChooseForThisBoot()
    {
        if (Pending.Length > 0)
        {
            if (Tries >= MaxTries)
            {
                Pending = "";
                Tries = 0;
            }
            else
            {
                Tries++;
                Save();
                return Pending;
            }

            Save();
        }

        return Active;
    }

    /// <summary>A staged, verified version starts at the next boot.</summary>
    public void Stage(string version)
    {
        Pending = version;
        Tries = 0;
        Save();
    }

    /// <summary>The running version works: keep it. Called by the version itself once its uplink has connected.</summary>
    public void ConfirmRunning(string version)
    {
        if (version.Length > 0 && version == Pending)
        {
            Active = Pending;
            Pending = "";
            Tries = 0;
            Save();
        }
    }

    /// <summary>A version could not even be loaded: never start it again.</summary>
    public void Reject(string version)
    {
        if (version == Pending)
        {
            Pending = "";
            Tries = 0;
        }
        else if (version == Active)
        {
            Active = "";
        }

        Save();
    }

    private static int ParseTries(string value)
    {
        try
        {
            return int.Parse(value);
        }
        catch (Exception)
        {
            // A damaged count must not grant a broken version more boots.
            return MaxTries;
        }
    }

    private void Save()
    {
        Directory.CreateDirectory(DevicePaths.UpdateDirectory);
        File.WriteAllText(NewFileName, "active " + Active + "\npending " + Pending + "\ntries " + Tries.ToString() + "\n");
        if (File.Exists(FileName))
        {
            File.Delete(FileName);
        }

        File.Move(NewFileName, FileName);
    }
}
