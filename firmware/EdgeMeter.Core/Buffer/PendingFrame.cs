namespace EdgeMeter.Core.Buffer;

/// <summary>
/// Readings appended since the last frame was written, encoded in place after room for the segment header and the
/// frame's length, so that sealing writes the length and CRC around them and one write call stores it all.
/// </summary>
internal sealed class PendingFrame
{
    private const int PayloadStart = SegmentFormat.HeaderSize + SegmentFormat.FrameHeadSize;

    private readonly byte[] _bytes;
    private readonly int _capacity;
    private int _end = PayloadStart;

    public PendingFrame(int capacity)
    {
        _capacity = capacity;
        _bytes = new byte[PayloadStart + capacity + SegmentFormat.FrameTailSize];
    }

    public int Count { get; private set; }

    public int PayloadLength => _end - PayloadStart;

    public bool HasRoomForReading => PayloadLength + ReadingCodec.MaxEncodedLength <= _capacity;

    /// <summary>Encodes the reading; false (nothing written) when its series is new and the table is full.</summary>
    public bool TryAdd(ref Reading reading, SeriesTable table)
    {
        var end = ReadingCodec.Encode(ref reading, table, _bytes, _end);
        if (end < 0)
        {
            return false;
        }

        _end = end;
        Count++;
        return true;
    }

    /// <summary>
    /// Completes the frame (and, for the first frame of a segment, the header before it) and returns the bytes to
    /// write through <paramref name="bytes"/>, <paramref name="offset"/> and <paramref name="length"/>.
    /// </summary>
    public void Seal(bool withHeader, long firstSequence, out byte[] bytes, out int offset, out int length)
    {
        var frameStart = SegmentFormat.HeaderSize;
        ByteCoding.WriteUInt16(_bytes, frameStart, PayloadLength);
        ByteCoding.WriteUInt32(_bytes, _end, Crc32.Compute(_bytes, frameStart, _end - frameStart));
        offset = frameStart;
        if (withHeader)
        {
            SegmentFormat.WriteHeader(_bytes, 0, firstSequence);
            offset = 0;
        }

        bytes = _bytes;
        length = _end + SegmentFormat.FrameTailSize - offset;
    }

    public void Clear()
    {
        _end = PayloadStart;
        Count = 0;
    }
}
