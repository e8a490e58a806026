namespace EdgeMeter.Core.Buffer;

/// <summary>
/// The persisted acknowledgement cursor and drop counter, in two alternating slot files. Each save writes the slot
/// not holding the newest state and flushes it, so a torn save leaves the previous state intact: after power loss
/// the cursor is the last one saved, or the one being saved, never older.
/// <code>
/// slot: "EMC1" | generation (int64 LE) | acknowledged-through (int64 LE) | dropped (int64 LE) | CRC-32 (LE)
/// </code>
/// </summary>
internal sealed class CursorStore : System.IDisposable
{
    public const int SlotSize = 32;
    public const string SlotName0 = "cursor.0";
    public const string SlotName1 = "cursor.1";

    private static readonly byte[] Magic = { (byte)'E', (byte)'M', (byte)'C', (byte)'1' };

    private readonly IFlashFile[] _slots;
    private readonly byte[] _bytes = new byte[SlotSize];
    private long _generation;

    private CursorStore(IFlashFile slot0, IFlashFile slot1)
    {
        _slots = new[] { slot0, slot1 };
    }

    /// <summary>Every sequence number up to this one is acknowledged or dropped.</summary>
    public long AcknowledgedThrough { get; private set; }

    /// <summary>Unacknowledged readings dropped to stay within the budget, over the buffer's life.</summary>
    public long Dropped { get; private set; }

    public static CursorStore Open(IFlashFileSystem fileSystem)
    {
        var store = new CursorStore(fileSystem.Open(SlotName0), fileSystem.Open(SlotName1));
        store.Load();
        return store;
    }

    public static bool IsSlotName(string name) => name == SlotName0 || name == SlotName1;

    public void Save(long acknowledgedThrough, long dropped)
    {
        var generation = _generation + 1;
        for (var i = 0; i < 4; i++)
        {
            _bytes[i] = Magic[i];
        }

        ByteCoding.WriteInt64(_bytes, 4, generation);
        ByteCoding.WriteInt64(_bytes, 12, acknowledgedThrough);
        ByteCoding.WriteInt64(_bytes, 20, dropped);
        ByteCoding.WriteUInt32(_bytes, 28, Crc32.Compute(_bytes, 0, 28));
        var slot = _slots[(int)(generation & 1)];
        slot.Write(0, _bytes, 0, SlotSize);
        slot.Flush();
        _generation = generation;
        AcknowledgedThrough = acknowledgedThrough;
        Dropped = dropped;
    }

    public void Dispose()
    {
        _slots[0].Dispose();
        _slots[1].Dispose();
    }

    private void Load()
    {
        for (var i = 0; i < 2; i++)
        {
            if (!TryReadSlot(_slots[i]))
            {
                continue;
            }

            var generation = ByteCoding.ReadInt64(_bytes, 4);
            if (generation > _generation)
            {
                _generation = generation;
                AcknowledgedThrough = ByteCoding.ReadInt64(_bytes, 12);
                Dropped = ByteCoding.ReadInt64(_bytes, 20);
            }
        }
    }

    private bool TryReadSlot(IFlashFile slot)
    {
        if (slot.Length < SlotSize)
        {
            return false;
        }

        var done = 0;
        while (done < SlotSize)
        {
            var read = slot.Read(done, _bytes, done, SlotSize - done);
            if (read <= 0)
            {
                return false;
            }

            done += read;
        }

        for (var i = 0; i < 4; i++)
        {
            if (_bytes[i] != Magic[i])
            {
                return false;
            }
        }

        return ByteCoding.ReadUInt32(_bytes, 28) == Crc32.Compute(_bytes, 0, 28);
    }
}
