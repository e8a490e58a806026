namespace EdgeMeter.Core.Uplink;

/// <summary>The reading packets published and not yet acknowledged: fixed arrays, no allocation.</summary>
internal sealed class InflightPackets
{
    private readonly int[] _token;
    private readonly long[] _first;
    private readonly int[] _readings;
    private readonly bool[] _live;

    public InflightPackets(int capacity)
    {
        _token = new int[capacity];
        _first = new long[capacity];
        _readings = new int[capacity];
        _live = new bool[capacity];
    }

    public int Count { get; private set; }

    /// <summary>Whether a live (new-readings) packet is still waiting for its acknowledgement.</summary>
    public bool HasLive
    {
        get
        {
            for (var i = 0; i < Count; i++)
            {
                if (_live[i])
                {
                    return true;
                }
            }

            return false;
        }
    }

    public void Add(int token, long first, int readings, bool live)
    {
        _token[Count] = token;
        _first[Count] = first;
        _readings[Count] = readings;
        _live[Count] = live;
        Count++;
    }

    public bool Contains(int token)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_token[i] == token)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes the packet the broker acknowledged; returns how many readings it carried (0 if unknown).</summary>
    public int Acknowledge(int token)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_token[i] != token)
            {
                continue;
            }

            var readings = _readings[i];
            Count--;
            _token[i] = _token[Count];
            _first[i] = _first[Count];
            _readings[i] = _readings[Count];
            _live[i] = _live[Count];
            return readings;
        }

        return 0;
    }

    /// <summary>The first reading sequence of the oldest unacknowledged packet, or long.MaxValue.</summary>
    public long OldestFirst()
    {
        var oldest = long.MaxValue;
        for (var i = 0; i < Count; i++)
        {
            if (_first[i] < oldest)
            {
                oldest = _first[i];
            }
        }

        return oldest;
    }

    public void Clear() => Count = 0;
}
