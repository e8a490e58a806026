using EdgeMeter.Common.Keys;
using EdgeMeter.Core.Keys;

namespace EdgeMeter.Receiver.Keys;

/// <summary>
/// The gateway keys the receiver verifies and signs with, loaded from the key file and reloaded when the file
/// changes (rotation without a restart). A reload that fails keeps the keys in force. Safe for concurrent use:
/// readers see one immutable snapshot at a time.
/// </summary>
public sealed class ReceiverKeyStore : IPacketKeyStore
{
    private readonly string _path;
    private volatile Snapshot _current;

    private ReceiverKeyStore(string path, Snapshot snapshot)
    {
        _path = path;
        _current = snapshot;
    }

    public int Count => _current.Keys.Count;

    /// <summary>Throws <see cref="FormatException"/> or an IO exception naming the file.</summary>
    public static ReceiverKeyStore Load(string path) => new(path, Read(path));

    /// <summary>A store over fixed keys, for tests and in-process callers.</summary>
    public static ReceiverKeyStore FromEntries(IEnumerable<KeyEntry> entries) => new("", new Snapshot(entries, default));

    public byte[]? FindKey(string gatewayId, int keyVersion) =>
        _current.Keys.TryGetValue((gatewayId, keyVersion), out var key) ? key : null;

    /// <summary>The highest key version registered for the gateway: the one commands are signed with.</summary>
    public int? NewestVersion(string gatewayId) => _current.Newest.TryGetValue(gatewayId, out var version) ? version : null;

    /// <summary>Reloads when the file's time or size changed. Returns null, or why the new file was refused.</summary>
    public string? ReloadIfChanged()
    {
        if (_path.Length == 0)
        {
            return null;
        }

        try
        {
            var info = new FileInfo(_path);
            if (!info.Exists)
            {
                return $"key file {_path} has disappeared; keeping {Count} keys";
            }

            if ((info.LastWriteTimeUtc, info.Length) == _current.Stamp)
            {
                return null;
            }

            _current = Read(_path);
            return null;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or FormatException)
        {
            return $"key file {_path}: {failure.Message}; keeping {Count} keys";
        }
    }

    private static Snapshot Read(string path)
    {
        var info = new FileInfo(path);
        try
        {
            return new Snapshot(KeyFile.Read(path), (info.LastWriteTimeUtc, info.Length));
        }
        catch (FormatException failure)
        {
            throw new FormatException($"key file {path}: {failure.Message}", failure);
        }
    }

    private sealed class Snapshot
    {
        public Snapshot(IEnumerable<KeyEntry> entries, (DateTime, long) stamp)
        {
            Stamp = stamp;
            foreach (var entry in entries)
            {
                Keys[(entry.GatewayId, entry.KeyVersion)] = entry.Key;
                if (!Newest.TryGetValue(entry.GatewayId, out var newest) || entry.KeyVersion > newest)
                {
                    Newest[entry.GatewayId] = entry.KeyVersion;
                }
            }
        }

        public Dictionary<(string GatewayId, int KeyVersion), byte[]> Keys { get; } = new();

        public Dictionary<string, int> Newest { get; } = new(StringComparer.Ordinal);

        public (DateTime, long) Stamp { get; }
    }
}
