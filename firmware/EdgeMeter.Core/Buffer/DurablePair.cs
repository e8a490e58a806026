namespace EdgeMeter.Core.Buffer;

/// <summary>
/// Two numbers that must survive power loss (the buffer's cursor and drop count, the packet sequence reservation,
/// the last command sequence), kept in two alternating slot files. Each save writes the slot not holding the newest
/// state and flushes it, so a torn save leaves the previous state intact: after power loss the values are the last
/// ones saved, or the ones being saved, never older.
/// <code>
/// slot: magic (4 ASCII) | generation (int64 LE) | first (int64 LE) | second (int64 LE) | CRC-32 (LE)
/// </code>
/// </summary>
public sealed class DurablePair : System.IDisposable
{
    public const int SlotSize = 32;

    private readonly byte[] _magic;
    private readonly IFlashFile[] _slots;
    private readonly byte[] _bytes = new byte[SlotSize];
    private long _generation;

    private DurablePair(IFlashFile slot0, IFlashFile slot1, string magic)
    {
        _slots = new[] { slot0, slot1 };
        _magic = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            _magic[i] = (byte)magic[i];
        }
    }

    public long First { get; private set; }

    public long Second { get; private set; }

    /// <summary>Opens (or creates, both values 0) the pair stored in <c>name.0</c> and <c>name.1</c>.</summary>
    /// <param name="magic">Four ASCII characters that identify what the slots hold.</param>
    public static DurablePair Open(IFlashFileSystem fileSystem, string name, string magic)
    {
        if (magic == null || magic.Length != 4)
        {
            throw new System.ArgumentException("the magic is four ASCII characters", nameof(magic));
        }

        var pair = new DurablePair(fileSystem.Open(name + ".0"), fileSystem.Open(name + ".1"), magic);
        pair.Load();
        return pair;
    }

    public void Save(long first, long second)
    {
        var generation = _generation + 1;
        for (var i = 0; i < 4; i++)
        {
            _bytes[i] = _magic[i];
        }

        ByteCoding.WriteInt64(_bytes, 4, generation);
        ByteCoding.WriteInt64(_bytes, 12, first);
        ByteCoding.WriteInt64(_bytes, 20, second);
        ByteCoding.WriteUInt32(_bytes, 28, Crc32.Compute(_bytes, 0, 28));
        var slot = _slots[(int)(generation & 1)];
        slot.Write(0, _bytes, 0, SlotSize);
        slot.Flush();
        _generation = generation;
        First = first;
        Second = second;
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
                First = ByteCoding.ReadInt64(_bytes, 12);
                Second = ByteCoding.ReadInt64(_bytes, 20);
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
            if (_bytes[i] != _magic[i])
            {
                return false;
            }
        }

        return ByteCoding.ReadUInt32(_bytes, 28) == Crc32.Compute(_bytes, 0, 28);
    }
}
