namespace EdgeMeter.Core.Crypto;

/// <summary>
/// SHA-256 (FIPS 180-4), managed and incremental. nanoFramework has no SHA256 class; this one allocates only in its
/// constructor, so hashing in a steady state creates no garbage. Not thread-safe: one instance per user.
/// </summary>
public sealed class Sha256
{
    public const int HashLength = 32;
    public const int BlockLength = 64;

    private static readonly uint[] RoundConstants =
    {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    private readonly uint[] _state = new uint[8];
    private readonly uint[] _schedule = new uint[64];
    private readonly byte[] _block = new byte[BlockLength];
    private int _blockLength;
    private long _totalBytes;

    public Sha256()
    {
        Reset();
    }

    /// <summary>Starts a new hash.</summary>
    public void Reset()
    {
        _state[0] = 0x6a09e667;
        _state[1] = 0xbb67ae85;
        _state[2] = 0x3c6ef372;
        _state[3] = 0xa54ff53a;
        _state[4] = 0x510e527f;
        _state[5] = 0x9b05688c;
        _state[6] = 0x1f83d9ab;
        _state[7] = 0x5be0cd19;
        _blockLength = 0;
        _totalBytes = 0;
    }

    public void Update(byte[] data, int offset, int count)
    {
        _totalBytes += count;
        if (_blockLength > 0)
        {
            while (count > 0 && _blockLength < BlockLength)
            {
                _block[_blockLength++] = data[offset++];
                count--;
            }

            if (_blockLength < BlockLength)
            {
                return;
            }

            Compress(_block, 0);
            _blockLength = 0;
        }

        while (count >= BlockLength)
        {
            Compress(data, offset);
            offset += BlockLength;
            count -= BlockLength;
        }

        while (count > 0)
        {
            _block[_blockLength++] = data[offset++];
            count--;
        }
    }

    /// <summary>Pads, writes the 32-byte digest to <paramref name="digest"/> and resets for the next hash.</summary>
    public void Final(byte[] digest, int offset)
    {
        var bitLength = _totalBytes * 8;
        _block[_blockLength++] = 0x80;
        if (_blockLength > BlockLength - 8)
        {
            while (_blockLength < BlockLength)
            {
                _block[_blockLength++] = 0;
            }

            Compress(_block, 0);
            _blockLength = 0;
        }

        while (_blockLength < BlockLength - 8)
        {
            _block[_blockLength++] = 0;
        }

        for (var i = 7; i >= 0; i--)
        {
            _block[_blockLength++] = (byte)(bitLength >> (i * 8));
        }

        Compress(_block, 0);
        for (var i = 0; i < 8; i++)
        {
            WriteBigEndian(_state[i], digest, offset + (i * 4));
        }

        Reset();
    }

    /// <summary>Copies the chaining state after whole blocks; HMAC keeps its padded-key states this way.</summary>
    internal void SaveState(uint[] destination)
    {
        for (var i = 0; i < 8; i++)
        {
            destination[i] = _state[i];
        }
    }

    /// <summary>Continues from a state saved after <paramref name="bytesHashed"/> bytes (a multiple of 64).</summary>
    internal void RestoreState(uint[] source, long bytesHashed)
    {
        for (var i = 0; i < 8; i++)
        {
            _state[i] = source[i];
        }

        _blockLength = 0;
        _totalBytes = bytesHashed;
    }

    private void Compress(byte[] data, int offset)
    {
        var w = _schedule;
        for (var i = 0; i < 16; i++)
        {
            var p = offset + (i * 4);
            w[i] = ((uint)data[p] << 24) | ((uint)data[p + 1] << 16) | ((uint)data[p + 2] << 8) | data[p + 3];
        }

        for (var i = 16; i < 64; i++)
        {
            var x = w[i - 15];
            var y = w[i - 2];
            var s0 = Rotate(x, 7) ^ Rotate(x, 18) ^ (x >> 3);
            var s1 = Rotate(y, 17) ^ Rotate(y, 19) ^ (y >> 10);
            w[i] = unchecked(w[i - 16] + s0 + w[i - 7] + s1);
        }

        var a = _state[0];
        var b = _state[1];
        var c = _state[2];
        var d = _state[3];
        var e = _state[4];
        var f = _state[5];
        var g = _state[6];
        var h = _state[7];
        for (var i = 0; i < 64; i++)
        {
            var sum1 = Rotate(e, 6) ^ Rotate(e, 11) ^ Rotate(e, 25);
            var choose = (e & f) ^ (~e & g);
            var t1 = unchecked(h + sum1 + choose + RoundConstants[i] + w[i]);
            var sum0 = Rotate(a, 2) ^ Rotate(a, 13) ^ Rotate(a, 22);
            var majority = (a & b) ^ (a & c) ^ (b & c);
            var t2 = unchecked(sum0 + majority);
            h = g;
            g = f;
            f = e;
            e = unchecked(d + t1);
            d = c;
            c = b;
            b = a;
            a = unchecked(t1 + t2);
        }

        unchecked
        {
            _state[0] += a;
            _state[1] += b;
            _state[2] += c;
            _state[3] += d;
            _state[4] += e;
            _state[5] += f;
            _state[6] += g;
            _state[7] += h;
        }
    }

    private static uint Rotate(uint value, int bits) => (value >> bits) | (value << (32 - bits));

    private static void WriteBigEndian(uint value, byte[] destination, int offset)
    {
        destination[offset] = (byte)(value >> 24);
        destination[offset + 1] = (byte)(value >> 16);
        destination[offset + 2] = (byte)(value >> 8);
        destination[offset + 3] = (byte)value;
    }
}
