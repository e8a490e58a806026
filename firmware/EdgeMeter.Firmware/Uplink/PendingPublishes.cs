namespace EdgeMeter.Firmware.Uplink;

/// <summary>
/// Which transport token each in-flight M2Mqtt message id belongs to. Fixed capacity, no allocation after
/// construction. Not thread-safe: the transport locks around it.
/// </summary>
internal sealed class PendingPublishes
{
    private readonly int[] _tokens;
    private readonly ushort[] _messageIds;
    private int _count;

    public PendingPublishes(int capacity)
    {
        _tokens = new int[capacity];
        _messageIds = new ushort[capacity];
    }

    public int Count => _count;

    public bool IsFull => _count == _tokens.Length;

    public void Add(int token, ushort messageId)
    {
        _tokens[_count] = token;
        _messageIds[_count] = messageId;
        _count++;
    }

    /// <summary>Removes the entry for <paramref name="messageId"/> and returns its token, or -1 when there is none.</summary>
    public int Complete(ushort messageId)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_messageIds[i] == messageId)
            {
                var token = _tokens[i];
                _count--;
                _tokens[i] = _tokens[_count];
                _messageIds[i] = _messageIds[_count];
                return token;
            }
        }

        return -1;
    }

    /// <summary>Copies every token into <paramref name="into"/> (at least Count long) and empties the table.</summary>
    public int Drain(int[] into)
    {
        var n = _count;
        for (var i = 0; i < n; i++)
        {
            into[i] = _tokens[i];
        }

        _count = 0;
        return n;
    }
}
