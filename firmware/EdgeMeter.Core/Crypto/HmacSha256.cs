namespace EdgeMeter.Core.Crypto;

/// <summary>
/// HMAC-SHA256 (RFC 2104, FIPS 198-1), managed. The padded-key states are hashed once per key, so a MAC costs the
/// message blocks plus two; nothing is allocated after construction. Not thread-safe: one instance per user.
/// </summary>
public sealed class HmacSha256
{
    /// <summary>The JWS "alg" of an HMAC-SHA256 signature.</summary>
    public const string JwsAlgorithm = "HS256";

    public const int MacLength = Sha256.HashLength;

    private readonly Sha256 _sha = new Sha256();
    private readonly uint[] _innerState = new uint[8];
    private readonly uint[] _outerState = new uint[8];
    private readonly byte[] _pad = new byte[Sha256.BlockLength];
    private readonly byte[] _innerDigest = new byte[Sha256.HashLength];
    private bool _hasKey;

    public HmacSha256()
    {
    }

    public HmacSha256(byte[] key)
    {
        SetKey(key, 0, key.Length);
    }

    /// <summary>Sets the key (any length; longer than 64 bytes is hashed first, as RFC 2104 says).</summary>
    public void SetKey(byte[] key, int offset, int count)
    {
        for (var i = 0; i < _pad.Length; i++)
        {
            _pad[i] = 0;
        }

        if (count > Sha256.BlockLength)
        {
            _sha.Reset();
            _sha.Update(key, offset, count);
            _sha.Final(_pad, 0);
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                _pad[i] = key[offset + i];
            }
        }

        DerivePaddedState(0x36, _innerState);
        DerivePaddedState(0x36 ^ 0x5c, _outerState);
        for (var i = 0; i < _pad.Length; i++)
        {
            _pad[i] = 0;
        }

        _hasKey = true;
        Begin();
    }

    /// <summary>Starts a MAC under the current key.</summary>
    public void Begin()
    {
        RequireKey();
        _sha.RestoreState(_innerState, Sha256.BlockLength);
    }

    public void Append(byte[] data, int offset, int count) => _sha.Update(data, offset, count);

    /// <summary>Writes the 32-byte MAC and starts the next one under the same key.</summary>
    public void Finish(byte[] mac, int offset)
    {
        _sha.Final(_innerDigest, 0);
        _sha.RestoreState(_outerState, Sha256.BlockLength);
        _sha.Update(_innerDigest, 0, _innerDigest.Length);
        _sha.Final(mac, offset);
        Begin();
    }

    public void Compute(byte[] data, int offset, int count, byte[] mac, int macOffset)
    {
        Begin();
        Append(data, offset, count);
        Finish(mac, macOffset);
    }

    // XORs the pad in place (first with ipad, then with ipad^opad to turn it into opad) and hashes it.
    private void DerivePaddedState(byte xor, uint[] state)
    {
        for (var i = 0; i < _pad.Length; i++)
        {
            _pad[i] ^= xor;
        }

        _sha.Reset();
        _sha.Update(_pad, 0, _pad.Length);
        _sha.SaveState(state);
        _sha.Reset();
    }

    private void RequireKey()
    {
        if (!_hasKey)
        {
            throw new System.InvalidOperationException("HMAC key not set");
        }
    }
}
