namespace System.IO;

public enum FileAccess
{
    Read = 1,
    Write = 2,
    ReadWrite = 3,
}

public enum FileMode
{
    CreateNew = 1,
    Create = 2,
    Open = 3,
    OpenOrCreate = 4,
    Truncate = 5,
    Append = 6,
}

public enum FileShare
{
    None = 0,
    Read = 1,
    Write = 2,
    ReadWrite = 3,
}

public abstract class FileSystemInfo : MarshalByRefObject
{
    public virtual string FullName => throw null!;

    public abstract bool Exists { get; }

    public abstract string Name { get; }

    public abstract void Delete();
}

public sealed class DirectoryInfo : FileSystemInfo
{
    public DirectoryInfo(string path) => throw null!;

    public override bool Exists => throw null!;

    public override string Name => throw null!;

    public override void Delete() => throw null!;
}

public static class Directory
{
    public static DirectoryInfo CreateDirectory(string path) => throw null!;

    public static void Delete(string path) => throw null!;

    public static void Delete(string path, bool recursive) => throw null!;

    public static bool Exists(string path) => throw null!;

    public static string[] GetFiles(string path) => throw null!;

    public static void Move(string sourceDirName, string destDirName) => throw null!;
}

public static class File
{
    public static void Copy(string sourceFileName, string destFileName) => throw null!;

    public static void Copy(string sourceFileName, string destFileName, bool overwrite) => throw null!;

    public static void Delete(string path) => throw null!;

    public static bool Exists(string path) => throw null!;

    public static void Move(string sourceFileName, string destFileName) => throw null!;

    public static byte[] ReadAllBytes(string path) => throw null!;

    public static string ReadAllText(string path) => throw null!;

    public static void WriteAllText(string path, string contents) => throw null!;
}

public class FileStream : Stream
{
    public FileStream(string path, FileMode mode) => throw null!;

    public FileStream(string path, FileMode mode, FileAccess access) => throw null!;

    public FileStream(string path, FileMode mode, FileAccess access, FileShare share) => throw null!;

    public override bool CanRead => throw null!;

    public override bool CanSeek => throw null!;

    public override bool CanWrite => throw null!;

    public override long Length => throw null!;

    public override long Position
    {
        get => throw null!;
        set => throw null!;
    }

    public override void Flush() => throw null!;

    public override long Seek(long offset, SeekOrigin origin) => throw null!;

    public override void SetLength(long value) => throw null!;

    public override int Read(byte[] buffer, int offset, int count) => throw null!;

    public override void Write(byte[] buffer, int offset, int count) => throw null!;
}

public static class Path
{
    public static string GetFileName(string path) => throw null!;
}
