
namespace EdgeMeter.Core.Keys;

/// <summary>
/// A small in-memory key store (linear search): a gateway's own key, or a handful of keys in tests. The PC side has
/// a hashed registry loaded from a key file.
/// </summary>
public sealed class PacketKeyRing : IPacketKeyStore
{
    private readonly System.Collections.ArrayList _entries = new System.Collections.ArrayList();

    public int Count => _entries.Count;

    /// <summary>Registers a key; throws ArgumentException for a bad gateway id, version or a key shorter than 32 bytes.</summary>
    public void Add(string gatewayId, int keyVersion, byte[] key)
    {
        if (!GatewayIdentity.IsGatewayId(gatewayId))
        {
            throw new System.ArgumentException("invalid gateway id", nameof(gatewayId));
        }

        if (keyVersion < 0 || keyVersion > GatewayIdentity.MaxKeyVersion)
        {
            throw new System.ArgumentOutOfRangeException(nameof(keyVersion));
        }

        if (key == null || key.Length < GatewayIdentity.MinKeyBytes)
        {
            throw new System.ArgumentException("HS256 keys must be at least 32 bytes", nameof(key));
        }

        if (FindKey(gatewayId, keyVersion) != null)
        {
            throw new System.ArgumentException("key already registered: " + PacketKeyId.Format(gatewayId, keyVersion));
        }

        _entries.Add(new Entry(gatewayId, keyVersion, key));
    }

    public byte[]? FindKey(string gatewayId, int keyVersion)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            var entry = (Entry)_entries[i]!;
            if (entry.KeyVersion == keyVersion && entry.GatewayId == gatewayId)
            {
                return entry.Key;
            }
        }

        return null;
    }

    private sealed class Entry
    {
        public Entry(string gatewayId, int keyVersion, byte[] key)
        {
            GatewayId = gatewayId;
            KeyVersion = keyVersion;
            Key = key;
        }

        public string GatewayId { get; }

        public int KeyVersion { get; }

        public byte[] Key { get; }
    }
}
