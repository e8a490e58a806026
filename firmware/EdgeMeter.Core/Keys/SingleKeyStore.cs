namespace EdgeMeter.Core.Keys;

/// <summary>
/// Answers every kid with one key: for `edgemeter verify --key HEX` and for test vectors, where the key given is
/// the key of whatever gateway and version the packet names.
/// </summary>
public sealed class SingleKeyStore : IPacketKeyStore
{
    private readonly byte[] _key;

    public SingleKeyStore(byte[] key)
    {
        _key = key;
    }

    public byte[]? FindKey(string gatewayId, int keyVersion) => _key;
}
