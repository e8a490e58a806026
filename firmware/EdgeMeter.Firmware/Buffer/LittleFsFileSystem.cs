using System;
using System.IO;
using EdgeMeter.Core.Buffer;

namespace EdgeMeter.Firmware.Buffer;

/// <summary>
/// The reading buffer's directory on the internal LittleFS drive (I:), through System.IO.FileSystem.
/// </summary>
/// <remarks>
/// Durability differs from desktop .NET: nanoFramework's FileStream.Flush on the ESP32 ends in the C library's
/// fflush, and the esp_littlefs component (built without CONFIG_LITTLEFS_FLUSH_FILE_EVERY_WRITE, its default)
/// commits a file to flash only on fsync or close. <see cref="LittleFsFile.Flush"/> therefore closes the file and
/// opens it again: lfs_file_close runs lfs_file_sync. Until then LittleFS keeps the previous committed version of the
/// file, which is the "any prefix survives" the buffer is built for. Free-space queries return -1 on the ESP32, so
/// the buffer's own byte budget is what keeps the drive from filling.
/// </remarks>
public sealed class LittleFsFileSystem : IFlashFileSystem
{
    /// <param name="directory">A directory on I:, e.g. <see cref="DevicePaths.BufferDirectory"/>; created when missing.</param>
    public LittleFsFileSystem(string directory)
    {
        Directory.CreateDirectory(directory);
        Root = directory;
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

    public IFlashFile Open(string name) => new LittleFsFile(PathOf(name));

    public void Delete(string name)
    {
        var path = PathOf(name);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private string PathOf(string name)
    {
        if (name == null || name.Length == 0 || name == "." || name == ".." || name.IndexOfAny(InvalidNameChars) >= 0)
        {
            throw new ArgumentException("'" + name + "' is not a plain file name.");
        }

        return Root + "\\" + name;
    }

    private static readonly char[] InvalidNameChars = new[] { '/', '\\', ':', '\0', '*', '?', '"', '<', '>', '|' };

    /// <summary>One file, kept open between calls; every call positions explicitly.</summary>
    private sealed class LittleFsFile : IFlashFile
    {
        private readonly string _path;
        private FileStream _stream;

        public LittleFsFile(string path)
        {
            _path = path;
            _stream = OpenStream();
        }

        public long Length => _stream.Length;

        public int Read(long position, byte[] buffer, int offset, int count)
        {
            _stream.Seek(position, SeekOrigin.Begin);
            return _stream.Read(buffer, offset, count);
        }

        public void Write(long position, byte[] buffer, int offset, int count)
        {
            if (position < 0 || position > _stream.Length)
            {
                throw new ArgumentOutOfRangeException("position", "Writes must start at or before the end of the file.");
            }

            _stream.Seek(position, SeekOrigin.Begin);
            _stream.Write(buffer, offset, count);
        }

        public void Truncate(long length) => _stream.SetLength(length);

        public void Flush()
        {
            // Close is the only call that reaches lfs_file_sync (see the class remarks).
            _stream.Dispose();
            _stream = OpenStream();
        }

        public void Dispose() => _stream.Dispose();

        private FileStream OpenStream() => new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
    }
}
