using System;
using System.IO;

namespace EdgeMeter.Firmware.Update;

/// <summary>A .pe image in a file on I:, read where asked, so that checking an update never loads it whole.</summary>
public sealed class FileImage : IImageSource, IDisposable
{
    private readonly FileStream _stream;

    public FileImage(string path)
    {
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read);
    }

    public int Length => (int)_stream.Length;

    public int Read(int position, byte[] into, int count)
    {
        _stream.Seek(position, SeekOrigin.Begin);
        var total = 0;
        while (total < count)
        {
            var n = _stream.Read(into, total, count - total);
            if (n <= 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    public void Dispose() => _stream.Dispose();
}
