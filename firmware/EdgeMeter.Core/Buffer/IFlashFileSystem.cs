namespace EdgeMeter.Core.Buffer;

/// <summary>
/// The few file operations the reading buffer needs, on one flat directory of small files. The ESP32 adapter maps
/// it onto FileStream over LittleFS (drive I:), the PC onto ordinary files, the tests onto memory that can lose
/// power. Names are plain file names without a directory part.
/// </summary>
/// <remarks>
/// What the buffer assumes, and no more: bytes passed to <see cref="IFlashFile.Write"/> or
/// <see cref="IFlashFile.Truncate"/> are durable once <see cref="IFlashFile.Flush"/> has returned; before that,
/// power loss may keep any prefix of them, torn at any byte. Nothing is assumed atomic across two files, and
/// <see cref="Delete"/> and the creation in <see cref="Open"/> need not be atomic with any write.
/// </remarks>
public interface IFlashFileSystem
{
    /// <summary>The names of all files in the directory (called once, when the buffer opens).</summary>
    string[] List();

    /// <summary>Opens a file for reading and writing, creating it empty when it does not exist.</summary>
    IFlashFile Open(string name);

    /// <summary>Deletes a file; does nothing when it does not exist. The file must not be open.</summary>
    void Delete(string name);
}

/// <summary>One open file: random-access reads, writes at or before the end, truncation and a durability barrier.</summary>
public interface IFlashFile : System.IDisposable
{
    /// <summary>Current length in bytes, including bytes written but not yet flushed.</summary>
    long Length { get; }

    /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="position"/>; returns the number read (0 at the end).</summary>
    int Read(long position, byte[] buffer, int offset, int count);

    /// <summary>Writes bytes at <paramref name="position"/> (at most <see cref="Length"/>), overwriting or extending the file.</summary>
    void Write(long position, byte[] buffer, int offset, int count);

    /// <summary>Cuts the file to <paramref name="length"/> bytes.</summary>
    void Truncate(long length);

    /// <summary>Returns once every earlier write and truncation of this file is durable.</summary>
    void Flush();
}
