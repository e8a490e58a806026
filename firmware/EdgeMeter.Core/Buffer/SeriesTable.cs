namespace EdgeMeter.Core.Buffer;

/// <summary>
/// What the codec remembers about each series within one segment: the last time, interval, value, value step,
/// scale and quality, and which series followed it last time. Encoder and decoder keep identical tables by
/// applying the same <see cref="Record"/> after every reading, so each segment decodes alone from its start.
/// Every long is kept in 4 bytes where it fits (<see cref="SmallLongColumn"/>): times as offsets from the segment's
/// first recorded reading, values as they are (a meter's register nearly always fits an int); what does not fit is
/// kept exactly beside, so what the codec predicts is the same as with full longs.
/// </summary>
internal sealed class SeriesTable
{
    public const int MaxCapacity = short.MaxValue;

    // In _scale beside the scale: a series added but not recorded yet, whose last time is 0 (not base + offset).
    private const byte Unrecorded = 0x80;

    private readonly int[] _keys;
    private readonly SmallLongColumn _lastTime; // ms after _timeBase
    private readonly SmallLongColumn _interval;
    private readonly SmallLongColumn _lastValue;
    private readonly SmallLongColumn _lastStep;
    private readonly byte[] _scale;
    private readonly byte[] _quality;
    private readonly short[] _next;
    private long _timeBase;
    private bool _hasTimeBase;

    public SeriesTable(int capacity)
    {
        _keys = new int[capacity];
        _lastTime = new SmallLongColumn(capacity);
        _interval = new SmallLongColumn(capacity);
        _lastValue = new SmallLongColumn(capacity);
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
        _lastTime.Clear();
        _interval.Clear();
        _lastValue.Clear();
        _lastStep.Clear();
        _hasTimeBase = false;
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
        _lastTime.Set(slot, 0);
        _interval.Set(slot, 0);
        _lastValue.Set(slot, 0);
        _lastStep.Set(slot, 0);
        _scale[slot] = Unrecorded;
        _quality[slot] = 0;
        _next[slot] = -1;
        return slot;
    }

    /// <summary>The time this series would have if its interval stayed the same.</summary>
    public long PredictTime(int slot) => unchecked(LastTime(slot) + _interval.Get(slot));

    /// <summary>Last value, or (linear) last value plus last step.</summary>
    public long PredictValue(int slot, bool linear) =>
        linear ? unchecked(_lastValue.Get(slot) + _lastStep.Get(slot)) : _lastValue.Get(slot);

    public int ScaleOf(int slot) => _scale[slot] & ~Unrecorded;

    public byte QualityOf(int slot) => _quality[slot];

    public void Record(int slot, bool isNew, long time, long mantissa, int scale, byte quality)
    {
        _lastStep.Set(slot, isNew || scale != ScaleOf(slot) ? 0 : unchecked(mantissa - _lastValue.Get(slot)));
        _interval.Set(slot, isNew ? 0 : unchecked(time - LastTime(slot)));
        if (!_hasTimeBase)
        {
            _timeBase = time;
            _hasTimeBase = true;
        }

        _lastTime.Set(slot, unchecked(time - _timeBase));
        _lastValue.Set(slot, mantissa);
        _scale[slot] = (byte)scale;
        _quality[slot] = quality;
        if (Previous >= 0)
        {
            _next[Previous] = (short)slot;
        }

        Previous = slot;
        PreviousTime = time;
    }

    private long LastTime(int slot) => (_scale[slot] & Unrecorded) != 0 ? 0 : unchecked(_timeBase + _lastTime.Get(slot));
}
