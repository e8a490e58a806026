namespace EdgeMeter.Core.Buffer;

/// <summary>
/// Sizing of a <see cref="ReadingBuffer"/>. The defaults suit a 4 MB-flash ESP32 (128 KB of the 256 KB LittleFS
/// drive); see docs/storage.md for the other boards.
/// </summary>
public sealed class BufferOptions
{
    /// <summary>LittleFS block size on the ESP32 (one flash erase sector).</summary>
    public const int LittleFsBlockSize = 4096;

    /// <summary>
    /// Most bytes the buffer's files may occupy on flash, counting every file rounded up to
    /// <see cref="AllocationUnit"/>. The buffer drops its oldest segment rather than exceed it.
    /// </summary>
    public long Budget { get; set; } = 128 * 1024;

    /// <summary>A segment file is closed and a new one started before it would grow past this many bytes.</summary>
    public int SegmentSize { get; set; } = 16 * 1024;

    /// <summary>Largest payload of one frame (the readings written by one write call); also the size of the read buffer.</summary>
    public int FrameCapacity { get; set; } = 1024;

    /// <summary>
    /// Distinct series (meter, point) one segment can hold; a new series beyond it starts a new segment. Costs about
    /// 2 x 38 bytes of RAM per series. Set it to at least the number of points the gateway polls.
    /// </summary>
    public int MaxSeries { get; set; } = 256;

    /// <summary>Granularity in which the file system allocates space: a file of n bytes occupies n rounded up to this.</summary>
    public int AllocationUnit { get; set; } = LittleFsBlockSize;

    /// <summary>Throws <see cref="System.ArgumentException"/> when the sizes cannot work together.</summary>
    public void Validate()
    {
        if (AllocationUnit < 1)
        {
            throw new System.ArgumentException("AllocationUnit must be at least 1.");
        }

        if (FrameCapacity < 64 || FrameCapacity > SegmentFormat.MaxFramePayload)
        {
            throw new System.ArgumentException("FrameCapacity must be 64..65535 bytes.");
        }

        if (MaxSeries < 1 || MaxSeries > SeriesTable.MaxCapacity)
        {
            throw new System.ArgumentException("MaxSeries must be 1..32767.");
        }

        if (SegmentSize < SegmentFormat.HeaderSize + SegmentFormat.FrameOverhead + FrameCapacity)
        {
            throw new System.ArgumentException("SegmentSize must hold the segment header and one full frame.");
        }

        if (Budget < MinimumBudget())
        {
            throw new System.ArgumentException("Budget must hold two segments and the two cursor slots.");
        }
    }

    internal long RoundUp(long bytes) => (bytes + AllocationUnit - 1) / AllocationUnit * AllocationUnit;

    internal long CursorBytes() => 2 * RoundUp(DurablePair.SlotSize);

    private long MinimumBudget() => (2 * RoundUp(SegmentSize)) + CursorBytes();
}
