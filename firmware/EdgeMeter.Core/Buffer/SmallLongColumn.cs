namespace EdgeMeter.Core.Buffer;

/// <summary>
/// One long per slot for values that nearly always fit an int (a series' interval, value step, last value, last time
/// as an offset), kept in 4 bytes each: a value that does not fit is kept exactly beside the column, so what a codec
/// predicts never changes. 256 series cost 1 KB instead of 2 KB per column; each value kept beside costs 12 bytes and
/// a search of the values beside when it is read. Once more than a quarter of the slots need a long (a site whose
/// registers pass 2,147,483,647 at their scale), the column keeps a full long per slot from then on: at most 1 KB more
/// than a plain long array, and no search.
/// </summary>
internal sealed class SmallLongColumn
{
    private const int Beside = int.MinValue;

    private readonly int[] _values;
    private int[] _besideSlots; // empty until a value needs it
    private long[] _besideValues;
    private int _besideCount;
    private long[]? _wide; // every slot's value, once too many need a long

    public bool IsWide => _wide != null;

    public SmallLongColumn(int capacity)
    {
        _values = new int[capacity];
        _besideSlots = new int[0];
        _besideValues = new long[0];
    }

    public long Get(int slot)
    {
        if (_wide != null)
        {
            return _wide[slot];
        }

        var value = _values[slot];
        return value != Beside ? value : _besideValues[IndexBeside(slot)];
    }

    public void Set(int slot, long value)
    {
        if (_wide != null)
        {
            _wide[slot] = value;
            return;
        }

        if (value > Beside && value <= int.MaxValue)
        {
            if (_values[slot] == Beside)
            {
                RemoveBeside(slot);
            }

            _values[slot] = (int)value;
            return;
        }

        if (_values[slot] != Beside && _besideCount >= _values.Length / 4)
        {
            Widen();
            _wide![slot] = value;
            return;
        }

        var index = _values[slot] == Beside ? IndexBeside(slot) : AddBeside(slot);
        _besideValues[index] = value;
        _values[slot] = Beside;
    }

    /// <summary>Every slot back to 0 (a new segment starts with an all-zero history).</summary>
    public void Clear()
    {
        if (_wide != null)
        {
            System.Array.Clear(_wide, 0, _wide.Length);
            return;
        }

        System.Array.Clear(_values, 0, _values.Length);
        _besideCount = 0;
    }

    // Once: the same site's next segments would need the same longs again.
    private void Widen()
    {
        var wide = new long[_values.Length];
        for (var slot = 0; slot < wide.Length; slot++)
        {
            wide[slot] = Get(slot);
        }

        _wide = wide;
        _besideSlots = new int[0];
        _besideValues = new long[0];
        _besideCount = 0;
    }

    private int IndexBeside(int slot)
    {
        for (var i = 0; i < _besideCount; i++)
        {
            if (_besideSlots[i] == slot)
            {
                return i;
            }
        }

        throw new System.InvalidOperationException("slot " + slot + " is marked as kept beside but is not");
    }

    // Rare (a gap of 25 days, a counter replaced): growing here is not the steady state.
    private int AddBeside(int slot)
    {
        if (_besideCount == _besideSlots.Length)
        {
            var slots = new int[(_besideCount * 2) + 2];
            var values = new long[(_besideCount * 2) + 2];
            System.Array.Copy(_besideSlots, slots, _besideCount);
            System.Array.Copy(_besideValues, values, _besideCount);
            _besideSlots = slots;
            _besideValues = values;
        }

        _besideSlots[_besideCount] = slot;
        return _besideCount++;
    }

    private void RemoveBeside(int slot)
    {
        var index = IndexBeside(slot);
        _besideCount--;
        _besideSlots[index] = _besideSlots[_besideCount];
        _besideValues[index] = _besideValues[_besideCount];
    }
}
