namespace EdgeMeter.Core.Config;

/// <summary>A file read in pieces, where it is (a board's configuration file, or bytes already in memory).</summary>
public interface IByteSource
{
    int Length { get; }

    /// <summary>Copies <paramref name="count"/> bytes from <paramref name="offset"/> into <c>into[at..at+count)</c>.</summary>
    void Read(int offset, byte[] into, int at, int count);
}

/// <summary>Bytes already in memory as a source.</summary>
public sealed class ArrayByteSource : IByteSource
{
    private readonly byte[] _bytes;

    public ArrayByteSource(byte[] bytes, int count)
    {
        _bytes = bytes;
        Length = count;
    }

    public int Length { get; }

    /// <summary>The bytes themselves (no copy), for a reader of the whole file.</summary>
    public byte[] Bytes => _bytes;

    public void Read(int offset, byte[] into, int at, int count) => System.Array.Copy(_bytes, offset, into, at, count);
}
