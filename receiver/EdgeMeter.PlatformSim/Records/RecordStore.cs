using System.Text.Json;

namespace EdgeMeter.PlatformSim.Records;

/// <summary>
/// The accepted records, deduplicated: by Idempotency-Key when the request carried one, otherwise by
/// (enterpriseCode, dataCode, statDate). A repeat with the same content is a duplicate (absorbed, answered 200);
/// a repeat with different content is a conflict (refused, so a client bug cannot overwrite data silently).
/// </summary>
internal sealed class RecordStore
{
    private readonly Lock gate = new();
    private readonly List<SimRecord> records = [];
    private readonly Dictionary<string, SimRecord> byKey = new(StringComparer.Ordinal);
    private readonly string? path;
    private long lastSequence;

    public RecordStore(string? path)
    {
        this.path = path;
        if (path is not null && File.Exists(path))
        {
            Load(path);
        }
    }

    public StoreResult Add(SimRecord record, string? idempotencyKey, string platform, DateTimeOffset receivedAt)
    {
        var key = KeyOf(idempotencyKey, record);
        lock (gate)
        {
            if (byKey.TryGetValue(key, out var existing))
            {
                return new StoreResult(existing, existing.FirstDifference(record));
            }

            var stored = record with
            {
                Sequence = ++lastSequence,
                Platform = platform,
                IdempotencyKey = idempotencyKey,
                ReceivedAt = receivedAt,
            };
            records.Add(stored);
            byKey[key] = stored;
            if (path is not null)
            {
                File.AppendAllText(path, JsonSerializer.Serialize(stored, SimJson.Options) + "\n");
            }

            return new StoreResult(stored, ConflictingField: null) { IsNew = true };
        }
    }

    public IReadOnlyList<SimRecord> Snapshot()
    {
        lock (gate)
        {
            return records.ToArray();
        }
    }

    /// <summary>Forgets every record, in memory and in the store file.</summary>
    public void Clear()
    {
        lock (gate)
        {
            records.Clear();
            byKey.Clear();
            if (path is not null)
            {
                File.WriteAllText(path, string.Empty);
            }
        }
    }

    private static string KeyOf(string? idempotencyKey, SimRecord record) =>
        idempotencyKey is null ? "natural:" + record.NaturalKey : "key:" + idempotencyKey;

    private void Load(string file)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var record = JsonSerializer.Deserialize<SimRecord>(line, SimJson.Options)
                ?? throw new InvalidDataException($"{file}:{lineNumber}: not a record");
            records.Add(record);
            byKey[KeyOf(record.IdempotencyKey, record)] = record;
            lastSequence = Math.Max(lastSequence, record.Sequence);
        }
    }
}

/// <summary>What storing one record did: new, duplicate (same content), or conflict (named field differs).</summary>
internal sealed record StoreResult(SimRecord Record, string? ConflictingField)
{
    public bool IsNew { get; init; }

    public bool IsDuplicate => !IsNew && ConflictingField is null;
}
