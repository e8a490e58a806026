namespace EdgeMeter.Core.Buffer;

/// <summary>
/// What the codec remembers about each series within one segment: the last time, interval, value, value step,
/// scale and quality, and which series followed it last time. Encoder and decoder keep identical tables by
/// applying the same <see cref="Record"/> after every reading, so each segment decodes alone from its start.
/// </summary>
internal sealed class SeriesTable
{
    public const int MaxCapacity = short.MaxValue;

    private readonly int[] _keys;
    private readonly long[] _lastTime;
    private readonly SmallLongColumn _interval;
    private readonly long[] _lastValue;
    private readonly SmallLongColumn _lastStep;
    private readonly byte[] _scale;
    private readonly byte[] _quality;
    private readonly short[] _next;

    public SeriesTable(int capacity)
    {
        _keys = new int[capacity];
        _lastTime = new long[capacity];
        _interval = new SmallLongColumn(capacity);
        _lastValue = new long[capacity];
        _lastStep = new SmallLongColumn(capacity);
        _scale = new byte[capacity];
        _quality = new byte[capacity];
        _next = new short[capacity];
        Reset();
    }

    /// <summary>Number of series seen in the current segment.</summary>
    public int Count { get; private set; }

    /// <summary>Slot of the previous reading in the segment, or -1.</summary>
    public int Previous { get; private set; }

    /// <summary>Time (ms) of the previous reading in the segment, 0 before the first.</summary>
    public long PreviousTime { get; private set; }

    public bool IsFull => Count == _keys.Length;

    public static int Key(int meter, int point) => (meter << 16) | point;

    public static int MeterOf(int key) => (key >> 16) & 0xFFFF;

    public static int PointOf(int key) => key & 0xFFFF;

    public void Reset()
    {
        _interval.Clear();
        _lastStep.Clear();
        Count = 0;
        Previous = -1;
        PreviousTime = 0;
    }

    /// <summary>The slot that followed the previous reading's series last time, or -1.</summary>
    public int PredictedSlot() => Previous < 0 ? -1 : _next[Previous];

    public int KeyAt(int slot) => _keys[slot];

    public int Find(int key)
    {
        for (var slot = 0; slot < Count; slot++)
        {
            if (_keys[slot] == key)
            {
                return slot;
            }
        }

        return -1;
    }

    /// <summary>Adds a series with an all-zero history; the caller checks <see cref="IsFull"/> first.</summary>
    public int Add(int key)
    {
        var slot = Count++;
        _keys[slot] = key;
        _lastTime[slot] = 0;
        _interval.Set(slot, 0);
        _lastValue[slot] = 0;
        _lastStep.Set(slot, 0);
        _scale[slot] = 0;
        _quality[slot] = 0;
        _next[slot] = -1;
        return slot;
    }

    /// <summary>The time this series would have if its interval stayed the same.</summary>
    public long PredictTime(int slot) => unchecked(_lastTime[slot] + _interval.Get(slot));

    /// <summary>Last value, or (linear) last value plus last step.</summary>
    public long PredictValue(int slot, bool linear) =>
        linear ? unchecked(_lastValue[slot] + _lastStep.Get(slot)) : _lastValue[slot];

    public int ScaleOf(int slot) => _scale[slot];

    public byte QualityOf(int slot) => _quality[slot];

    public void Record(int slot, bool isNew, long time, long mantissa, int scale, byte quality)
    {
        _lastStep.Set(slot, isNew || scale != _scale[slot] ? 0 : unchecked(mantissa - _lastValue[slot]));
        _interval.Set(slot, isNew ? 0 : unchecked(time - _lastTime[slot]));
        _lastTime[slot] = time;
        _lastValue[slot] = mantissa;
        _scale[slot] = (byte)scale;
        _quality[slot] = quality;
        if (Previous >= 0)
        {
            _next[Previous] = (short)slot;
        }

        Previous = slot;
        PreviousTime = time;
    }
}
