namespace EdgeMeter.Core.Buffer;

/// <summary>
/// Keeps every reading in flash until the uplink acknowledges it, within a fixed byte budget, safe against power
/// loss at any instant. Readings go into append-only segment files as compact CRC-protected frames; an
/// acknowledgement cursor lives in two alternating slot files. All members are thread-safe.
/// </summary>
/// <remarks>
/// <para>The poller calls <see cref="Append"/> for each reading of a poll cycle, then <see cref="Commit"/> once:
/// when <see cref="Commit"/> returns, every reading appended before it is durable and will survive power loss.
/// Readings not yet committed may or may not survive.</para>
/// <para>The uplink calls <see cref="Read"/> from <see cref="AcknowledgedThrough"/> + 1 and, once the platform
/// has them, <see cref="Acknowledge"/> with the last sequence number sent: acknowledgement is cumulative and
/// durable when it returns. Only committed readings are read.</para>
/// <para>When a new frame would exceed <see cref="BufferOptions.Budget"/>, the oldest segment is deleted; its
/// unacknowledged readings are added to <see cref="Dropped"/> and the cursor moves past them.</para>
/// <para>Append, Commit, Read and Acknowledge allocate nothing, except when a segment file is opened or created
/// (once per segment).</para>
/// </remarks>
public sealed class ReadingBuffer : System.IDisposable
{
    private const string CursorName = "cursor";
    private const string CursorMagic = "EMC1";

    private readonly object _sync = new object();
    private readonly IFlashFileSystem _fileSystem;
    private readonly BufferOptions _options;
    private readonly DurablePair _cursor; // First: acknowledged through; Second: dropped
    private readonly SegmentTable _segments = new SegmentTable(8);
    private readonly SeriesTable _writeTable;
    private readonly PendingFrame _pending;
    private readonly SegmentReader _reader;
    private Reading _decoded;

    private IFlashFile? _activeFile;
    private bool _activeDirty;
    private long _lastAppended;
    private long _committed;
    private long _corrupted;
    private long _readerSegmentFirst = -1;
    private bool _readerOwnsFile;
    private bool _disposed;

    private ReadingBuffer(IFlashFileSystem fileSystem, BufferOptions options, DurablePair cursor)
    {
        _fileSystem = fileSystem;
        _options = options;
        _cursor = cursor;
        _writeTable = new SeriesTable(options.MaxSeries);
        _pending = new PendingFrame(options.FrameCapacity);
        _reader = new SegmentReader(options.FrameCapacity, new SeriesTable(options.MaxSeries));
    }

    /// <summary>The configured budget in bytes.</summary>
    public long Budget => _options.Budget;

    /// <summary>Bytes the buffer's files occupy, each rounded up to the allocation unit; never above <see cref="Budget"/>.</summary>
    public long BytesUsed
    {
        get
        {
            lock (_sync)
            {
                return SegmentBytes() + _options.CursorBytes();
            }
        }
    }

    /// <summary>Sequence number of the last appended reading (0 when none ever was).</summary>
    public long LastSequence
    {
        get
        {
            lock (_sync)
            {
                return _lastAppended;
            }
        }
    }

    /// <summary>Sequence number of the last durable reading.</summary>
    public long CommittedSequence
    {
        get
        {
            lock (_sync)
            {
                return _committed;
            }
        }
    }

    /// <summary>Every reading up to this sequence number has been acknowledged or dropped.</summary>
    public long AcknowledgedThrough
    {
        get
        {
            lock (_sync)
            {
                return _cursor.First;
            }
        }
    }

    /// <summary>Readings appended and neither acknowledged nor dropped.</summary>
    public long Depth
    {
        get
        {
            lock (_sync)
            {
                var depth = _lastAppended - _cursor.First;
                return depth < 0 ? 0 : depth;
            }
        }
    }

    /// <summary>Unacknowledged readings deleted to stay within the budget, over the buffer's whole life (persisted).</summary>
    public long Dropped
    {
        get
        {
            lock (_sync)
            {
                return _cursor.Second;
            }
        }
    }

    /// <summary>Committed readings skipped since open because their bytes on flash failed the CRC (should stay 0).</summary>
    public long Corrupted
    {
        get
        {
            lock (_sync)
            {
                return _corrupted;
            }
        }
    }

    /// <summary>Number of segment files, including the active one.</summary>
    public int SegmentCount
    {
        get
        {
            lock (_sync)
            {
                return _segments.Count;
            }
        }
    }

    /// <summary>
    /// Opens the buffer stored in <paramref name="fileSystem"/>, creating it when empty, and recovers from any power
    /// loss: reads the cursor, deletes acknowledged segments, scans the last segment only and cuts off its torn tail.
    /// </summary>
    public static ReadingBuffer Open(IFlashFileSystem fileSystem, BufferOptions options)
    {
        options.Validate();
        var buffer = new ReadingBuffer(fileSystem, options, DurablePair.Open(fileSystem, CursorName, CursorMagic));
        buffer.Recover();
        return buffer;
    }

    /// <summary>
    /// Adds a reading and returns its sequence number (also stored in <paramref name="reading"/>.Sequence). Never
    /// refuses: when flash is full the oldest data is dropped. Durable only after the next <see cref="Commit"/>.
    /// </summary>
    public long Append(ref Reading reading)
    {
        if (reading.Meter < 0 || reading.Meter > Reading.MaxIndex || reading.Point < 0 || reading.Point > Reading.MaxIndex)
        {
            throw new System.ArgumentOutOfRangeException(nameof(reading), "Meter and Point must be 0..65535.");
        }

        if (!ReadingCodec.IsStorable(reading.Time))
        {
            throw new System.ArgumentOutOfRangeException(nameof(reading), "Time is outside the DateTime range of this runtime.");
        }

        lock (_sync)
        {
            ThrowIfDisposed();
            if (!_pending.HasRoomForReading)
            {
                WritePendingFrame();
            }

            if (NextReadingWouldOverflowSegment())
            {
                StartNextSegment();
            }

            if (!_pending.TryAdd(ref reading, _writeTable))
            {
                StartNextSegment();
                _pending.TryAdd(ref reading, _writeTable);
            }

            _lastAppended++;
            reading.Sequence = _lastAppended;
            return _lastAppended;
        }
    }

    /// <summary>Makes every appended reading durable (one write and one flush); they are committed when this returns.</summary>
    public void Commit()
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            CommitUnlocked();
        }
    }

    /// <summary>
    /// Copies committed, unacknowledged readings in sequence order, starting at <paramref name="fromSequence"/>
    /// (or just after the cursor, whichever is later), into <paramref name="into"/>; returns how many.
    /// Reading on from where the previous call stopped costs no re-scan.
    /// </summary>
    public int Read(long fromSequence, Reading[] into) => Read(fromSequence, into, into.Length);

    /// <summary>
    /// Like <see cref="Read(long, Reading[])"/>, at most <paramref name="max"/> readings. Reading on from where the
    /// previous call stopped continues the decoder; starting elsewhere decodes the segment from its start.
    /// </summary>
    public int Read(long fromSequence, Reading[] into, int max)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            return ReadUnlocked(fromSequence > _cursor.First ? fromSequence : _cursor.First + 1, into, max, true);
        }
    }

    /// <summary>
    /// Like <see cref="Read(long, Reading[])"/>, but acknowledged readings still in flash count too (the oldest segment
    /// kept onwards): for a record of what was committed that must not miss what the broker took quickly.
    /// </summary>
    public int ReadKept(long fromSequence, Reading[] into)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            var kept = _segments.Count > 0 ? _segments.FirstOf(0) : _cursor.First + 1;
            return ReadUnlocked(fromSequence > kept ? fromSequence : kept, into, into.Length, false);
        }
    }

    // countGap: readings lost to a damaged frame are counted once, by the delivery reads.
    private int ReadUnlocked(long from, Reading[] into, int max, bool countGap)
    {
        if (max > into.Length)
        {
            max = into.Length;
        }

        if (from > _committed || max <= 0)
        {
            return 0;
        }

        PositionReader(from);
        var segmentEnd = ReaderSegmentEnd();
        var count = 0;
        while (count < max && _reader.NextSequence <= _committed)
        {
            if (_reader.NextSequence < segmentEnd && _reader.TryRead(ref _decoded))
            {
                into[count++] = _decoded;
            }
            else if (AdvanceReader(countGap))
            {
                segmentEnd = ReaderSegmentEnd();
            }
            else
            {
                break;
            }
        }

        return count;
    }

    /// <summary>
    /// Acknowledges every reading up to <paramref name="sequence"/> (cumulative); durable when it returns. Older
    /// values are ignored, so the cursor never moves backwards. Deletes segments that become fully acknowledged.
    /// </summary>
    public void Acknowledge(long sequence)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            if (sequence > _committed)
            {
                throw new System.ArgumentOutOfRangeException(nameof(sequence), "Only committed readings can be acknowledged.");
            }

            if (sequence <= _cursor.First)
            {
                return;
            }

            _cursor.Save(sequence, _cursor.Second);
            while (_segments.Count > 1 && _segments.FirstOf(1) - 1 <= sequence)
            {
                DeleteOldestSegment();
            }
        }
    }

    /// <summary>Closes the files. Readings appended since the last <see cref="Commit"/> are not written.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            CloseReader();
            _activeFile?.Dispose();
            _activeFile = null;
            _cursor.Dispose();
        }
    }

    private void Recover()
    {
        var names = _fileSystem.List();
        for (var i = 0; i < names.Length; i++)
        {
            if (SegmentFormat.TryParseFileName(names[i], out var first))
            {
                _segments.Add(first, names[i], 0);
            }
        }

        _segments.Sort();
        var acknowledged = _cursor.First;
        while (_segments.Count > 1 && _segments.FirstOf(1) - 1 <= acknowledged)
        {
            DeleteOldestSegment();
        }

        for (var i = 0; i < _segments.Count - 1; i++)
        {
            using var file = _fileSystem.Open(_segments.NameOf(i));
            _segments.SetLength(i, file.Length);
        }

        RecoverActiveSegment(acknowledged);
        EnsureSpace(0);
    }

    /// <summary>Scans the last segment: continues it after its last good frame, or starts a fresh one.</summary>
    private void RecoverActiveSegment(long acknowledged)
    {
        if (_segments.Count == 0)
        {
            StartSegment(acknowledged + 1);
            return;
        }

        var last = _segments.Last;
        var first = _segments.FirstOf(last);
        var file = _fileSystem.Open(_segments.NameOf(last));
        var scan = new SegmentReader(_options.FrameCapacity, _writeTable);
        scan.Start(file, first);
        scan.SkipToEnd();
        var next = scan.NextSequence;
        if (scan.ValidLength > 0 && scan.Broken)
        {
            // A frame passed its CRC but did not decode: keep what decoded, write on in a new segment.
            _segments.SetLength(last, file.Length);
            file.Dispose();
            StartSegment(next > acknowledged ? next : acknowledged + 1);
            return;
        }

        if (next <= acknowledged)
        {
            // The cursor is past its end (it can only be empty): never reuse acknowledged sequence numbers.
            file.Dispose();
            DeleteSegment(last);
            StartSegment(acknowledged + 1);
            return;
        }

        if (file.Length != scan.ValidLength)
        {
            file.Truncate(scan.ValidLength);
        }

        // What the scan found is committed from now on, so make sure it is durable (a previous run may have
        // written frames without flushing them and closed the file without power loss).
        file.Flush();

        _activeFile = file;
        _segments.SetLength(last, scan.ValidLength);
        _lastAppended = next - 1;
        _committed = _lastAppended;
    }

    private void StartSegment(long first)
    {
        _segments.Add(first, SegmentFormat.FileName(first), 0);
        _activeFile = null;
        _writeTable.Reset();
        _lastAppended = first - 1;
        _committed = _lastAppended;
    }

    private bool NextReadingWouldOverflowSegment()
    {
        var length = _segments.LengthOf(_segments.Last);
        if (length == 0 && _pending.Count == 0)
        {
            return false;
        }

        var start = length == 0 ? SegmentFormat.HeaderSize : length;
        var projected = start + SegmentFormat.FrameOverhead + _pending.PayloadLength + ReadingCodec.MaxEncodedLength;
        return projected > _options.SegmentSize;
    }

    /// <summary>Commits the active segment and continues in a new one whose first reading is the next appended.</summary>
    private void StartNextSegment()
    {
        CommitUnlocked();
        if (_activeFile != null)
        {
            if (_reader.File == _activeFile && _readerSegmentFirst == _segments.FirstOf(_segments.Last))
            {
                _readerOwnsFile = true;
            }
            else
            {
                _activeFile.Dispose();
            }
        }

        StartSegment(_lastAppended + 1);
    }

    private void CommitUnlocked()
    {
        WritePendingFrame();
        if (_activeDirty)
        {
            _activeFile!.Flush();
            _activeDirty = false;
        }

        _committed = _lastAppended;
    }

    private void WritePendingFrame()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var length = _segments.LengthOf(_segments.Last);
        _pending.Seal(length == 0, _segments.FirstOf(_segments.Last), out var bytes, out var offset, out var count);
        EnsureSpace(_options.RoundUp(length + count) - _options.RoundUp(length));
        var last = _segments.Last;
        if (_activeFile == null)
        {
            _activeFile = _fileSystem.Open(_segments.NameOf(last));
            if (_activeFile.Length > 0)
            {
                _activeFile.Truncate(0);
            }
        }

        _activeFile.Write(length, bytes, offset, count);
        _segments.SetLength(last, length + count);
        _activeDirty = true;
        _pending.Clear();
    }

    /// <summary>Drops the oldest segments until <paramref name="growth"/> more bytes fit the budget.</summary>
    private void EnsureSpace(long growth)
    {
        while (_segments.Count > 1 && SegmentBytes() + _options.CursorBytes() + growth > _options.Budget)
        {
            var lastOfOldest = _segments.FirstOf(1) - 1;
            var acknowledged = _cursor.First;
            var before = _segments.FirstOf(0) - 1;
            if (acknowledged > before)
            {
                before = acknowledged;
            }

            if (lastOfOldest > before)
            {
                // Persist the cursor past the dropped readings before the file goes, so that after power loss
                // they are neither counted twice nor mistaken for acknowledged ones.
                _cursor.Save(lastOfOldest, _cursor.Second + (lastOfOldest - before));
            }

            DeleteOldestSegment();
        }
    }

    private void DeleteOldestSegment() => DeleteSegment(0);

    private void DeleteSegment(int index)
    {
        if (_readerSegmentFirst == _segments.FirstOf(index))
        {
            CloseReader();
        }

        _fileSystem.Delete(_segments.NameOf(index));
        _segments.RemoveAt(index);
    }

    private long SegmentBytes()
    {
        long total = 0;
        for (var i = 0; i < _segments.Count; i++)
        {
            total += _options.RoundUp(_segments.LengthOf(i));
        }

        return total;
    }

    private void PositionReader(long from)
    {
        var index = _segments.IndexContaining(from);
        if (_readerSegmentFirst != _segments.FirstOf(index) || _reader.NextSequence > from || _reader.File == null)
        {
            OpenReaderAt(index);
        }

        var segmentEnd = ReaderSegmentEnd();
        while (_reader.NextSequence < from)
        {
            if (_reader.NextSequence < segmentEnd && _reader.TryRead(ref _decoded))
            {
                continue;
            }

            if (!AdvanceReader(countGap: false))
            {
                return;
            }

            segmentEnd = ReaderSegmentEnd();
        }
    }

    /// <summary>First sequence number after the reader's segment (where the next segment begins).</summary>
    private long ReaderSegmentEnd()
    {
        var index = _segments.IndexOf(_readerSegmentFirst);
        return index >= 0 && index < _segments.Last ? _segments.FirstOf(index + 1) : long.MaxValue;
    }

    /// <summary>Moves the reader to the next segment; false when it is on the last one.</summary>
    private bool AdvanceReader(bool countGap)
    {
        var index = _segments.IndexOf(_readerSegmentFirst);
        if (index < 0 || index >= _segments.Last)
        {
            return false;
        }

        var nextFirst = _segments.FirstOf(index + 1);
        if (countGap && _reader.NextSequence < nextFirst)
        {
            _corrupted += nextFirst - _reader.NextSequence;
        }

        OpenReaderAt(index + 1);
        return true;
    }

    private void OpenReaderAt(int index)
    {
        CloseReader();
        IFlashFile? file;
        if (index == _segments.Last)
        {
            file = _activeFile;
        }
        else
        {
            file = _fileSystem.Open(_segments.NameOf(index));
            _readerOwnsFile = true;
        }

        _reader.Start(file, _segments.FirstOf(index));
        _readerSegmentFirst = _segments.FirstOf(index);
    }

    private void CloseReader()
    {
        if (_readerOwnsFile)
        {
            _reader.File?.Dispose();
            _readerOwnsFile = false;
        }

        _reader.Start(null, 0);
        _readerSegmentFirst = -1;
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new System.ObjectDisposedException(nameof(ReadingBuffer));
        }
    }
}
