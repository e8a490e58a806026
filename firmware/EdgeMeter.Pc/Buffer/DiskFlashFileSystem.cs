using EdgeMeter.Core.Buffer;

namespace EdgeMeter.Pc.Buffer;

/// <summary>
/// The reading buffer's files in one directory of the PC's file system. Writes go straight to the OS (no
/// FileStream buffer) and <see cref="IFlashFile.Flush"/> is fsync (Flush(true)), which is the only durability point
/// the buffer relies on. Unlike LittleFS, a PC file system can keep a torn or zero-filled tail of unflushed writes
/// after a crash; the buffer's frame CRCs and alternating cursor slots are built for exactly that.
/// </summary>
/// <remarks>
/// The directory itself is not fsynced (.NET cannot open a directory handle): a file created or deleted just
/// before a crash relies on the file system's journal (ext4, NTFS, APFS commit the entry with the file's fsync).
/// A deleted segment that reappears is harmless: the cursor already covers it and it is deleted again on open.
/// </remarks>
public sealed class DiskFlashFileSystem : IFlashFileSystem
{
    private static readonly char[] InvalidNameChars = ['/', '\\', ':', '\0', '*', '?', '"', '<', '>', '|'];

    public DiskFlashFileSystem(string directory)
    {
        Directory.CreateDirectory(directory);
        Root = Path.GetFullPath(directory);
    }

    public string Root { get; }

    public string[] List()
    {
        var paths = Directory.GetFiles(Root);
        var names = new string[paths.Length];
        for (var i = 0; i < paths.Length; i++)
        {
            names[i] = Path.GetFileName(paths[i]);
        }

        return names;
    }

    public IFlashFile Open(string name)
    {
        // bufferSize 0: every Write reaches the OS at once, so Flush(true) covers all of it.
        var stream = new FileStream(PathOf(name), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        return new DiskFlashFile(stream);
    }

    public void Delete(string name) => File.Delete(PathOf(name));

    private string PathOf(string name)
    {
        if (string.IsNullOrEmpty(name) || name == "." || name == ".." || name.IndexOfAny(InvalidNameChars) >= 0)
        {
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        }

        return Path.Combine(Root, name);
    }

    private sealed class DiskFlashFile(FileStream stream) : IFlashFile
    {
        public long Length => stream.Length;

        public int Read(long position, byte[] buffer, int offset, int count)
        {
            stream.Position = position;
            return stream.Read(buffer, offset, count);
        }

        public void Write(long position, byte[] buffer, int offset, int count)
        {
            if (position < 0 || position > stream.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(position), "Writes must start at or before the end of the file.");
            }

            stream.Position = position;
            stream.Write(buffer, offset, count);
        }

        public void Truncate(long length) => stream.SetLength(length);

        public void Flush() => stream.Flush(flushToDisk: true);

        public void Dispose() => stream.Dispose();
    }
}
