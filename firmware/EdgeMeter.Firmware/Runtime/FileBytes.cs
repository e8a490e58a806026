using System;
using System.IO;
using EdgeMeter.Core.Config;
using EdgeMeter.Firmware.Update;

namespace EdgeMeter.Firmware.Runtime;

/// <summary>
/// A file on I: read where asked, so that it is never loaded whole: an update's .pe image while it is checked, the
/// configuration while it is read a meter at a time.
/// </summary>
public sealed class FileBytes : IImageSource, IByteSource, IDisposable
{
    private readonly FileStream _stream;

    public FileBytes(string path)
    {
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read);
    }

    public int Length => (int)_stream.Length;

    public int Read(int position, byte[] into, int count) => ReadAt(position, into, 0, count);

    public void Read(int offset, byte[] into, int at, int count)
    {
        if (ReadAt(offset, into, at, count) < count)
        {
            throw new IOException("the file ended early");
        }
    }

    public void Dispose() => _stream.Dispose();

    private int ReadAt(int position, byte[] into, int at, int count)
    {
        _stream.Seek(position, SeekOrigin.Begin);
        var total = 0;
        while (total < count)
        {
            var n = _stream.Read(into, at + total, count - total);
            if (n <= 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
