using EdgeMeter.Core.Buffer;

namespace EdgeMeter.Core.Tests.Buffer;

/// <summary>Thrown by <see cref="SimulatedFlash"/> at the scheduled power cut; the code under test must not catch it.</summary>
public sealed class PowerCutException : Exception
{
    public PowerCutException() : base("power cut") { }
}

/// <summary>How much of the writes that were never flushed survive a power cut.</summary>
public enum PowerLossMode
{
    /// <summary>None of them: LittleFS (copy-on-write, a file reverts to its last sync).</summary>
    DropUnflushed,

    /// <summary>A prefix of them, the last one torn at a random byte (a PC file system).</summary>
    TornPrefix,

    /// <summary>As <see cref="TornPrefix"/>, but the torn write's remaining bytes read back as zeros or junk.</summary>
    TornPrefixWithJunk,
}

/// <summary>
/// An in-memory <see cref="IFlashFileSystem"/> that can lose power. Each file keeps its durable bytes (as of the last
/// flush) and the writes and truncations since, in order. <see cref="PowerLoss"/> replaces every file by its durable
/// bytes plus what the chosen <see cref="PowerLossMode"/> lets survive; <see cref="CutAtCall"/> makes the n-th
/// write, truncate, flush, create or delete tear (a write keeps a random prefix) and throw
/// <see cref="PowerCutException"/>; <see cref="BeforeIo"/> lets a test fork the whole state at every such call.
/// </summary>
public sealed class SimulatedFlash : IFlashFileSystem
{
    private readonly Dictionary<string, SimFile> _files = new(StringComparer.Ordinal);
    private readonly bool _trackUnflushed;
    private readonly int _initialCapacity;

    /// <param name="trackUnflushed">False for a plain, allocation-free RAM disk (no power-loss model).</param>
    /// <param name="initialCapacity">Bytes reserved per new file, so that steady-state writes do not allocate.</param>
    public SimulatedFlash(bool trackUnflushed = true, int initialCapacity = 256)
    {
        _trackUnflushed = trackUnflushed;
        _initialCapacity = initialCapacity;
    }

    /// <summary>I/O calls so far (write, truncate, flush, create, delete).</summary>
    public long IoCalls { get; private set; }

    /// <summary>The I/O call number that cuts power (compared with <see cref="IoCalls"/> after counting); -1 for never.</summary>
    public long CutAtCall { get; set; } = -1;

    /// <summary>Called at every I/O call after a write or truncation has been applied, before a flush, create or delete.</summary>
    public Action? BeforeIo { get; set; }

    public Random Random { get; set; } = new(1);

    public int Flushes { get; private set; }

    public long BytesWritten { get; private set; }

    public long BytesRead { get; set; }

    public string[] List() => _files.Keys.ToArray();

    public IFlashFile Open(string name)
    {
        if (!_files.TryGetValue(name, out var file))
        {
            Io();
            file = new SimFile(_initialCapacity);
            _files.Add(name, file);
        }

        return new Handle(this, file);
    }

    public void Delete(string name)
    {
        if (_files.ContainsKey(name))
        {
            Io();
            _files.Remove(name);
        }
    }

    public bool Exists(string name) => _files.ContainsKey(name);

    /// <summary>Current length of a file (what reads see).</summary>
    public long LengthOf(string name) => _files[name].Length;

    /// <summary>Direct access for tests that damage files on purpose.</summary>
    public byte[] ContentOf(string name) => _files[name].Current.AsSpan(0, _files[name].Length).ToArray();

    public void SetContent(string name, byte[] content)
    {
        var file = _files[name];
        file.Current = (byte[])content.Clone();
        file.Length = content.Length;
        file.MakeDurable();
    }

    /// <summary>Sum of all file lengths, each rounded up to <paramref name="unit"/> bytes.</summary>
    public long AllocatedBytes(int unit) => _files.Values.Sum(f => (f.Length + unit - 1) / unit * unit);

    /// <summary>A deep copy, including what is not yet flushed; the copy has no hooks and no scheduled cut.</summary>
    public SimulatedFlash Clone()
    {
        var copy = new SimulatedFlash(_trackUnflushed, _initialCapacity);
        foreach (var (name, file) in _files)
        {
            copy._files.Add(name, file.Clone());
        }

        return copy;
    }

    /// <summary>Power fails: every file keeps its durable bytes plus what <paramref name="mode"/> lets survive.</summary>
    public void PowerLoss(PowerLossMode mode, Random random)
    {
        foreach (var file in _files.Values)
        {
            file.LosePower(mode, random);
        }

        CutAtCall = -1;
    }

    private void Io()
    {
        IoCalls++;
        if (IoCalls == CutAtCall)
        {
            throw new PowerCutException();
        }
    }

    private sealed class Handle(SimulatedFlash owner, SimFile file) : IFlashFile
    {
        public long Length => file.Length;

        public int Read(long position, byte[] buffer, int offset, int count)
        {
            var available = (int)Math.Max(0, Math.Min(count, file.Length - position));
            if (available == 0)
            {
                return 0;
            }

            Array.Copy(file.Current, position, buffer, offset, available);
            owner.BytesRead += available;
            return available;
        }

        public void Write(long position, byte[] buffer, int offset, int count)
        {
            if (position < 0 || position > file.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(position));
            }

            owner.BytesWritten += count;
            owner.IoCalls++;
            if (owner.IoCalls == owner.CutAtCall)
            {
                // The write tears: only a prefix reaches the file before power fails.
                file.Write(position, buffer, offset, owner.Random.Next(count), owner._trackUnflushed);
                throw new PowerCutException();
            }

            file.Write(position, buffer, offset, count, owner._trackUnflushed);
            owner.BeforeIo?.Invoke();
        }

        public void Truncate(long length)
        {
            owner.IoCalls++;
            if (owner.IoCalls == owner.CutAtCall)
            {
                throw new PowerCutException();
            }

            file.Truncate(length, owner._trackUnflushed);
            owner.BeforeIo?.Invoke();
        }

        public void Flush()
        {
            owner.BeforeIo?.Invoke();
            owner.Io();
            owner.Flushes++;
            if (owner._trackUnflushed)
            {
                file.MakeDurable();
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class SimFile
    {
        private readonly List<Change> _unflushed = [];
        private byte[] _durable = [];
        private int _durableLength;

        public SimFile(int capacity)
        {
            Current = new byte[capacity];
        }

        public byte[] Current { get; set; }

        public int Length { get; set; }

        public void Write(long position, byte[] buffer, int offset, int count, bool track)
        {
            var end = (int)position + count;
            EnsureCapacity(end);
            Array.Copy(buffer, offset, Current, position, count);
            if (end > Length)
            {
                Length = end;
            }

            if (track)
            {
                _unflushed.Add(new Change((int)position, buffer.AsSpan(offset, count).ToArray(), -1));
            }
        }

        public void Truncate(long length, bool track)
        {
            if (length < Length)
            {
                Array.Clear(Current, (int)length, Length - (int)length);
            }
            else
            {
                EnsureCapacity((int)length);
            }

            Length = (int)length;
            if (track)
            {
                _unflushed.Add(new Change(0, [], (int)length));
            }
        }

        public void MakeDurable()
        {
            _durable = Current.AsSpan(0, Length).ToArray();
            _durableLength = Length;
            _unflushed.Clear();
        }

        public void LosePower(PowerLossMode mode, Random random)
        {
            var survivors = mode == PowerLossMode.DropUnflushed ? 0 : random.Next(_unflushed.Count + 1);
            var image = new byte[Math.Max(_durableLength, 16)];
            Array.Copy(_durable, image, _durableLength);
            var length = _durableLength;
            for (var i = 0; i < survivors && i < _unflushed.Count; i++)
            {
                var change = _unflushed[i];
                var torn = i == survivors - 1 && random.Next(2) == 0;
                var kept = torn ? random.Next(change.Data.Length + 1) : change.Data.Length;
                Apply(ref image, ref length, change, kept);
                if (torn && mode == PowerLossMode.TornPrefixWithJunk && change.TruncateTo < 0)
                {
                    var junk = new byte[change.Data.Length - kept];
                    if (random.Next(2) == 0)
                    {
                        random.NextBytes(junk);
                    }

                    Apply(ref image, ref length, new Change(change.Position + kept, junk, -1), junk.Length);
                }
            }

            Current = image;
            Length = length;
            MakeDurable();
            EnsureCapacity(Length + 16);
        }

        public SimFile Clone()
        {
            var copy = new SimFile(0)
            {
                Current = (byte[])Current.Clone(),
                Length = Length,
                _durable = (byte[])_durable.Clone(),
                _durableLength = _durableLength,
            };
            copy._unflushed.AddRange(_unflushed);
            return copy;
        }

        private static void Apply(ref byte[] image, ref int length, Change change, int kept)
        {
            if (change.TruncateTo >= 0)
            {
                if (change.TruncateTo < length)
                {
                    Array.Clear(image, change.TruncateTo, length - change.TruncateTo);
                }

                length = change.TruncateTo;
                if (image.Length < length)
                {
                    Array.Resize(ref image, length);
                }

                return;
            }

            var end = change.Position + kept;
            if (image.Length < end)
            {
                Array.Resize(ref image, Math.Max(end, image.Length * 2));
            }

            Array.Copy(change.Data, 0, image, change.Position, kept);
            if (end > length)
            {
                length = end;
            }
        }

        private void EnsureCapacity(int size)
        {
            if (Current.Length < size)
            {
                var bigger = new byte[Math.Max(size, Current.Length * 2)];
                Array.Copy(Current, bigger, Length);
                Current = bigger;
            }
        }

        private sealed record Change(int Position, byte[] Data, int TruncateTo);
    }
}
