namespace EdgeMeter.Core.Keys;

/// <summary>Finds the HMAC key of a gateway's key version (the two halves of a kid).</summary>
public interface IPacketKeyStore
{
    /// <summary>The key bytes, or null when no such key is registered. Callers do not modify the array.</summary>
    byte[]? FindKey(string gatewayId, int keyVersion);
}
