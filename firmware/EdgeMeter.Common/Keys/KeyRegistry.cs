using EdgeMeter.Core.Keys;

namespace EdgeMeter.Common.Keys;

/// <summary>
/// Gateway keys from a key file (format in docs/packet-format.md, read by <see cref="PacketKeyFile"/>), hashed by
/// gateway id and key version for platforms that verify many gateways. Immutable after loading, so one registry
/// can serve many verifier threads.
/// </summary>
public sealed class KeyRegistry : IPacketKeyStore
{
    private readonly Dictionary<(string GatewayId, int KeyVersion), byte[]> _keys = new();

    private KeyRegistry()
    {
    }

    public int Count => _keys.Count;

    /// <summary>Parses a key file's bytes; throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static KeyRegistry Parse(byte[] json)
    {
        var registry = new KeyRegistry();
        if (!PacketKeyFile.TryRead(json, 0, json.Length, (id, version, key) => registry._keys.Add((id, version), key), out var error))
        {
            throw new FormatException(error);
        }

        return registry;
    }

    /// <summary>Loads a key file; throws <see cref="FormatException"/> or an IO exception.</summary>
    public static KeyRegistry Load(string path) => Parse(File.ReadAllBytes(path));

    public byte[]? FindKey(string gatewayId, int keyVersion) =>
        _keys.TryGetValue((gatewayId, keyVersion), out var key) ? key : null;
}
