namespace EdgeMeter.Common.Cli;

/// <summary>
/// Rewrites a file an operator's command changes (configuration, key file) in place, so that it keeps its owner,
/// group and mode: a service reading it as another user must still be able to after `sudo`. The previous content
/// is kept beside it first (FILE.bak, mode 0600), and the new one is flushed to disk. A new file is made 0600.
/// </summary>
public static class FileInPlace
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Replace(string path, byte[] content)
    {
        if (File.Exists(path))
        {
            Write(path + ".bak", File.ReadAllBytes(path), FileMode.Create, Private);
            Write(path, content, FileMode.Truncate, null);
        }
        else
        {
            Write(path, content, FileMode.CreateNew, Private);
        }
    }

    private static void Write(string path, byte[] content, FileMode mode, UnixFileMode? create)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (create is { } unixMode && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = unixMode;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }
}
