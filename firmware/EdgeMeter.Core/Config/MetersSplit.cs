namespace EdgeMeter.Core.Config;

/// <summary>
/// Where the elements of a configuration's root "meters" array lie, found by one pass over the file in small pieces,
/// so that the meters (nearly all of a large file) can be parsed one at a time instead of tokenized whole. It looks
/// for structure only and validates nothing: every piece is parsed strictly afterwards, and a file it cannot split (no
/// root "meters" array, an empty one, one not closed, a name written with escapes) is read whole, which also reports
/// its errors exactly as before.
/// </summary>
internal sealed class MetersSplit
{
    private const int WindowBytes = 256;
    private static readonly byte[] MetersName = { (byte)'m', (byte)'e', (byte)'t', (byte)'e', (byte)'r', (byte)'s' };

    private int[] _starts = new int[16];
    private int[] _ends = new int[16];

    // The scan's state, kept across the file's pieces.
    private int _depth;
    private bool _inString;
    private bool _escaped;
    private bool _expectName;    // at depth 1: the next string is a member name
    private bool _nameMatches;   // the member name being read (or last read) at depth 1 is "meters"
    private int _nameLength;
    private bool _metersValueNext;
    private bool _inMeters;
    private bool _elementHasValue;

    private MetersSplit()
    {
    }

    /// <summary>The array's content: from just after its '[' to its ']' (without it, the file holds "meters":[]).</summary>
    public int InnerStart { get; private set; }

    public int InnerEnd { get; private set; }

    public int Count { get; private set; }

    /// <summary>Element <paramref name="index"/>'s bytes, with the whitespace around it, between its separators.</summary>
    public int Start(int index) => _starts[index];

    public int End(int index) => _ends[index];

    /// <summary>The split, or null when the file has no root "meters" array of at least one element, closed.</summary>
    public static MetersSplit? Find(IByteSource source)
    {
        var split = new MetersSplit();
        var window = new byte[WindowBytes];
        for (var offset = 0; offset < source.Length; offset += WindowBytes)
        {
            var count = source.Length - offset < WindowBytes ? source.Length - offset : WindowBytes;
            source.Read(offset, window, 0, count);
            for (var i = 0; i < count; i++)
            {
                if (split.Step(window[i], offset + i))
                {
                    return split.Count > 0 ? split : null;
                }
            }
        }

        return null;
    }

    // One byte of the file; true when the meters array has closed.
    private bool Step(byte c, int position)
    {
        if (_inString)
        {
            StepInString(c);
            return false;
        }

        if (c == (byte)' ' || c == (byte)'\t' || c == (byte)'\n' || c == (byte)'\r')
        {
            return false;
        }

        if (_metersValueNext)
        {
            _metersValueNext = false;
            if (c == (byte)'[')
            {
                _depth++;
                _inMeters = true;
                InnerStart = position + 1;
                Add(position + 1);
                return false;
            }
        }

        if (_inMeters && _depth == 2 && (c == (byte)',' || c == (byte)']'))
        {
            return EndElement(c, position);
        }

        _elementHasValue = true;
        switch (c)
        {
            case (byte)'"':
                _inString = true;
                _nameMatches = _depth == 1 && _expectName;
                _nameLength = 0;
                break;
            case (byte)'{':
            case (byte)'[':
                _depth++;
                _expectName = _depth == 1 && c == (byte)'{';
                break;
            case (byte)'}':
            case (byte)']':
                _depth--;
                break;
            case (byte)':':
                _metersValueNext = _depth == 1 && _expectName && _nameMatches;
                _expectName = false;
                break;
            case (byte)',':
                _expectName = _depth == 1;
                break;
        }

        return false;
    }

    private void StepInString(byte c)
    {
        if (_escaped)
        {
            _escaped = false;
        }
        else if (c == (byte)'\\')
        {
            _escaped = true;
            _nameMatches = false;
        }
        else if (c == (byte)'"')
        {
            _inString = false;
            _nameMatches &= _nameLength == MetersName.Length;
        }
        else if (_nameMatches)
        {
            _nameMatches = _nameLength < MetersName.Length && c == MetersName[_nameLength];
            _nameLength++;
        }
    }

    private bool EndElement(byte separator, int position)
    {
        var blank = !_elementHasValue;
        _ends[Count - 1] = position;
        if (separator == (byte)',')
        {
            Add(position + 1);
            return false;
        }

        _depth--;
        InnerEnd = position;
        if (Count == 1 && blank)
        {
            Count = 0; // "[]": nothing to split
        }

        return true;
    }

    private void Add(int start)
    {
        if (Count == _starts.Length)
        {
            _starts = Grow(_starts);
            _ends = Grow(_ends);
        }

        _starts[Count] = start;
        _ends[Count] = start;
        Count++;
        _elementHasValue = false;
    }

    private static int[] Grow(int[] values)
    {
        var grown = new int[values.Length * 2];
        System.Array.Copy(values, grown, values.Length);
        return grown;
    }
}
