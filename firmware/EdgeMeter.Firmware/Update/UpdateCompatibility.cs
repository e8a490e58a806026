namespace EdgeMeter.Firmware.Update;

/// <summary>The assemblies the device is running, looked up by name (null when it runs none of that name).</summary>
public interface IRunningAssemblies
{
    AssemblyIdentity? Find(string name);
}

/// <summary>
/// Decides whether the .pe images of an update can run next to what the board already has, before anything is
/// staged, so that a mismatch is refused with its reason instead of failing when nanoCLR loads it. nanoCLR resolves
/// a reference by name and major.minor and takes the first match, and attaches native code only to assemblies
/// flashed with the board firmware. Hence an update:
/// <list type="bullet">
/// <item>carries managed code only (no native methods);</item>
/// <item>gives each of its assemblies a major.minor the board is not running already (or the running copy would be
/// used);</item>
/// <item>finds every other assembly it references on the board at the major.minor it was built against (the library
/// versions of the board image; nf-boards.md).</item>
/// </list>
/// </summary>
public static class UpdateCompatibility
{
    /// <summary>Returns null when the images can be staged together, else the first reason they cannot.</summary>
    public static string? Check(AssemblyImage[] images, IRunningAssemblies running)
    {
        for (var i = 0; i < images.Length; i++)
        {
            var image = images[i];
            if (image.NativeChecksum != 0)
            {
                return image.Version + " has native methods: it can only come with a board firmware, not an update";
            }

            var loaded = running.Find(image.Name);
            if (loaded != null && loaded.SameMajorMinor(image.Version))
            {
                return image.Version + " has the major.minor of the running " + loaded + ": give the update a new version";
            }
        }

        for (var i = 0; i < images.Length; i++)
        {
            var missing = UnresolvedReference(images[i], images, running);
            if (missing != null)
            {
                return missing;
            }
        }

        return null;
    }

    private static string? UnresolvedReference(AssemblyImage image, AssemblyImage[] images, IRunningAssemblies running)
    {
        for (var r = 0; r < image.References.Length; r++)
        {
            var needed = image.References[r];
            if (needed.Name.Length == 0 || InUpdate(needed, images))
            {
                continue;
            }

            var onBoard = running.Find(needed.Name);
            if (onBoard == null)
            {
                return image.Name + " needs " + needed + ", which the board does not have";
            }

            if (!onBoard.SameMajorMinor(needed))
            {
                return image.Name + " needs " + needed + ", the board runs " + onBoard + " (flash the board firmware this update was built for)";
            }
        }

        return null;
    }

    private static bool InUpdate(AssemblyIdentity needed, AssemblyImage[] images)
    {
        for (var i = 0; i < images.Length; i++)
        {
            if (images[i].Name == needed.Name && images[i].Version.SameMajorMinor(needed))
            {
                return true;
            }
        }

        return false;
    }
}
