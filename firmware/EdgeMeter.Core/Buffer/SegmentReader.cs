namespace EdgeMeter.Core.Buffer;

/// <summary>
/// Reads a segment file forwards: checks the header, loads one frame at a time and accepts it only when its length
/// fits the file and its CRC matches, then decodes readings with its own <see cref="SeriesTable"/>. The first bad
/// frame ends the segment: that is how a torn tail is recognised.
/// </summary>
internal sealed class SegmentReader
{
    private readonly byte[] _frame;
    private readonly SeriesTable _table;
    private IFlashFile? _file;
    private long _nextFrameOffset;
    private int _position;
    private int _end;

    public SegmentReader(int frameCapacity, SeriesTable table)
    {
        _frame = new byte[SegmentFormat.FrameOverhead + frameCapacity];
        _table = table;
    }

    /// <summary>Sequence number of the reading <see cref="TryRead"/> returns next.</summary>
    public long NextSequence { get; private set; }

    /// <summary>Bytes from the start of the file to the end of the last good frame (0 when the header is bad).</summary>
    public long ValidLength { get; private set; }

    /// <summary>True once a CRC-valid frame failed to decode: the rest of the segment is unreadable.</summary>
    public bool Broken { get; private set; }

    public IFlashFile? File => _file;

    /// <summary>Positions at the first reading of the segment whose file is <paramref name="file"/> (null: empty).</summary>
    public void Start(IFlashFile? file, long firstSequence)
    {
        _file = file;
        _table.Reset();
        NextSequence = firstSequence;
        ValidLength = 0;
        Broken = false;
        _position = 0;
        _end = 0;
        _nextFrameOffset = SegmentFormat.HeaderSize;
        if (file != null
            && ReadFully(file, 0, SegmentFormat.HeaderSize)
            && SegmentFormat.IsValidHeader(_frame, 0, firstSequence))
        {
            ValidLength = SegmentFormat.HeaderSize;
        }
        else
        {
            Broken = true;
        }
    }

    /// <summary>Decodes the next reading; false at the end of the good data (more may arrive in the active segment).</summary>
    public bool TryRead(ref Reading reading)
    {
        if (Broken || _file == null)
        {
            return false;
        }

        if (_position == _end && !TryLoadFrame(_file))
        {
            return false;
        }

        if (!ReadingCodec.TryDecode(_frame, ref _position, _end, _table, ref reading))
        {
            Broken = true;
            return false;
        }

        reading.Sequence = NextSequence++;
        return true;
    }

    /// <summary>Reads to the end of the good data, counting readings; used when recovering the last segment.</summary>
    public void SkipToEnd()
    {
        var scratch = default(Reading);
        while (TryRead(ref scratch))
        {
        }
    }

    private bool TryLoadFrame(IFlashFile file)
    {
        var remaining = file.Length - _nextFrameOffset;
        if (remaining < SegmentFormat.FrameOverhead + 1 || !ReadFully(file, _nextFrameOffset, SegmentFormat.FrameHeadSize))
        {
            return false;
        }

        var payload = ByteCoding.ReadUInt16(_frame, 0);
        var frameLength = SegmentFormat.FrameOverhead + payload;
        if (payload == 0 || frameLength > _frame.Length || frameLength > remaining
            || !ReadFully(file, _nextFrameOffset + SegmentFormat.FrameHeadSize, frameLength - SegmentFormat.FrameHeadSize, SegmentFormat.FrameHeadSize))
        {
            return false;
        }

        var crcAt = SegmentFormat.FrameHeadSize + payload;
        if (ByteCoding.ReadUInt32(_frame, crcAt) != Crc32.Compute(_frame, 0, crcAt))
        {
            return false;
        }

        _position = SegmentFormat.FrameHeadSize;
        _end = crcAt;
        _nextFrameOffset += frameLength;
        ValidLength = _nextFrameOffset;
        return true;
    }

    private bool ReadFully(IFlashFile file, long position, int count, int offset = 0)
    {
        var done = 0;
        while (done < count)
        {
            var read = file.Read(position + done, _frame, offset + done, count - done);
            if (read <= 0)
            {
                return false;
            }

            done += read;
        }

        return true;
    }
}
