using EdgeMeter.Core.Buffer;

namespace EdgeMeter.Benchmarks.Support;

/// <summary>
/// An in-memory <see cref="IFlashFileSystem"/> that counts every byte the core writes, by kind of file, and allocates
/// nothing in steady state: deleted files go back to a pool and are reused, handles are the files themselves. So an
/// allocation measured around the core is the core's own.
/// </summary>
public sealed class RamFlash : IFlashFileSystem
{
    private readonly Dictionary<string, RamFile> _files = new(StringComparer.Ordinal);
    private readonly Stack<RamFile> _pool = new();
    private readonly int _initialCapacity;

    public RamFlash(int initialCapacity = 20 * 1024)
    {
        _initialCapacity = initialCapacity;
    }

    /// <summary>Bytes written to reading-buffer segments (<c>*.seg</c>).</summary>
    public long SegmentBytesWritten { get; private set; }

    /// <summary>Bytes written to every other file (cursor slots, sequence reservations).</summary>
    public long OtherBytesWritten { get; private set; }

    public long BytesWritten => SegmentBytesWritten + OtherBytesWritten;

    public long Writes { get; private set; }

    /// <summary>Bytes read back (the uplink reading committed readings, recovery scans).</summary>
    public long BytesRead { get; private set; }

    public long Flushes { get; private set; }

    /// <summary>Flushes of segment files: the commits that a copy-on-write file system turns into block copies.</summary>
    public long SegmentFlushes { get; private set; }

    /// <summary>Bytes a copy-on-write file system (LittleFS) re-copies: each flushed file's partly filled last block.</summary>
    public long PartialBlockBytesAtFlush { get; private set; }

    public long FilesCreated { get; private set; }

    public long FilesDeleted { get; private set; }

    public void ResetCounters()
    {
        SegmentBytesWritten = 0;
        OtherBytesWritten = 0;
        Writes = 0;
        BytesRead = 0;
        Flushes = 0;
        SegmentFlushes = 0;
        PartialBlockBytesAtFlush = 0;
        FilesCreated = 0;
        FilesDeleted = 0;
    }

    /// <summary>Bytes now stored in files whose name ends with <paramref name="suffix"/>.</summary>
    public long StoredBytes(string suffix)
    {
        long total = 0;
        foreach (var (name, file) in _files)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                total += file.Length;
            }
        }

        return total;
    }

    public string[] List() => [.. _files.Keys];

    /// <summary>Makes <paramref name="files"/> files ready for later creations, so that creating them allocates nothing here.</summary>
    public void Reserve(int files)
    {
        for (var i = 0; i < files; i++)
        {
            _pool.Push(new RamFile(this, _initialCapacity));
        }
    }

    public IFlashFile Open(string name)
    {
        if (!_files.TryGetValue(name, out var file))
        {
            file = _pool.Count > 0 ? _pool.Pop() : new RamFile(this, _initialCapacity);
            file.Reset(name.EndsWith(".seg", StringComparison.Ordinal));
            _files.Add(name, file);
            FilesCreated++;
        }

        return file;
    }

    public void Delete(string name)
    {
        if (_files.Remove(name, out var file))
        {
            _pool.Push(file);
            FilesDeleted++;
        }
    }

    private sealed class RamFile(RamFlash owner, int capacity) : IFlashFile
    {
        private const int BlockSize = BufferOptions.LittleFsBlockSize;

        private byte[] _data = new byte[capacity];
        private bool _isSegment;

        public long Length { get; private set; }

        public void Reset(bool isSegment)
        {
            Length = 0;
            _isSegment = isSegment;
        }

        public int Read(long position, byte[] buffer, int offset, int count)
        {
            var available = (int)Math.Max(0, Math.Min(count, Length - position));
            Array.Copy(_data, position, buffer, offset, available);
            owner.BytesRead += available;
            return available;
        }

        public void Write(long position, byte[] buffer, int offset, int count)
        {
            if (position < 0 || position > Length)
            {
                throw new ArgumentOutOfRangeException(nameof(position));
            }

            var end = position + count;
            if (end > _data.Length)
            {
                Array.Resize(ref _data, (int)Math.Max(end, _data.Length * 2L));
            }

            Array.Copy(buffer, offset, _data, position, count);
            Length = Math.Max(Length, end);
            owner.Writes++;
            if (_isSegment)
            {
                owner.SegmentBytesWritten += count;
            }
            else
            {
                owner.OtherBytesWritten += count;
            }
        }

        public void Truncate(long length) => Length = Math.Min(Length, length);

        public void Flush()
        {
            owner.Flushes++;
            if (_isSegment)
            {
                // Small files (cursor slots, counters) stay inline in LittleFS metadata: no block is copied for them.
                owner.SegmentFlushes++;
                owner.PartialBlockBytesAtFlush += Length % BlockSize;
            }
        }

        public void Dispose()
        {
            // Handles are the files themselves: nothing to close.
        }
    }
}
