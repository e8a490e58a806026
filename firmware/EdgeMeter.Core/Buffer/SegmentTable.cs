namespace EdgeMeter.Core.Buffer;

/// <summary>
/// The segment files in sequence order: first sequence number, file name and length of each. The last one is the
/// active segment; a segment's readings end where the next one's begin.
/// </summary>
internal sealed class SegmentTable
{
    private long[] _firsts;
    private long[] _lengths;
    private string[] _names;

    public SegmentTable(int initialCapacity)
    {
        _firsts = new long[initialCapacity];
        _lengths = new long[initialCapacity];
        _names = new string[initialCapacity];
    }

    public int Count { get; private set; }

    public int Last => Count - 1;

    public long FirstOf(int index) => _firsts[index];

    public long LengthOf(int index) => _lengths[index];

    public string NameOf(int index) => _names[index];

    public void SetLength(int index, long length) => _lengths[index] = length;

    public void Add(long first, string name, long length)
    {
        if (Count == _firsts.Length)
        {
            Grow();
        }

        _firsts[Count] = first;
        _names[Count] = name;
        _lengths[Count] = length;
        Count++;
    }

    public void RemoveAt(int index)
    {
        for (var i = index + 1; i < Count; i++)
        {
            _firsts[i - 1] = _firsts[i];
            _names[i - 1] = _names[i];
            _lengths[i - 1] = _lengths[i];
        }

        Count--;
        _names[Count] = "";
    }

    /// <summary>Index of the segment holding <paramref name="sequence"/>: the last one starting at or before it (0 if none).</summary>
    public int IndexContaining(long sequence)
    {
        for (var i = Count - 1; i > 0; i--)
        {
            if (_firsts[i] <= sequence)
            {
                return i;
            }
        }

        return 0;
    }

    public int IndexOf(long first)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_firsts[i] == first)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Sorts by first sequence (insertion sort: used once at open, on a handful of entries).</summary>
    public void Sort()
    {
        for (var i = 1; i < Count; i++)
        {
            var first = _firsts[i];
            var name = _names[i];
            var length = _lengths[i];
            var j = i - 1;
            while (j >= 0 && _firsts[j] > first)
            {
                _firsts[j + 1] = _firsts[j];
                _names[j + 1] = _names[j];
                _lengths[j + 1] = _lengths[j];
                j--;
            }

            _firsts[j + 1] = first;
            _names[j + 1] = name;
            _lengths[j + 1] = length;
        }
    }

    private void Grow()
    {
        var size = _firsts.Length * 2;
        var firsts = new long[size];
        var lengths = new long[size];
        var names = new string[size];
        System.Array.Copy(_firsts, firsts, Count);
        System.Array.Copy(_lengths, lengths, Count);
        System.Array.Copy(_names, names, Count);
        _firsts = firsts;
        _lengths = lengths;
        _names = names;
    }
}
