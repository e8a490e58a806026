using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace EdgeMeter.Common.Platform;

/// <summary>
/// The SM4 password protection of requestAK (GM/T 0002-2012, BouncyCastle's SM4), in the mode, padding and
/// encodings one platform asks for. <see cref="Protect"/> is what the receiver sends; <see cref="Unprotect"/> is
/// what the simulator checks. Stateless and safe for concurrent use.
/// </summary>
public sealed class Sm4PasswordCipher
{
    private const int BlockBytes = 16;
    private readonly Sm4PasswordOptions _options;
    private readonly byte[] _key;
    private readonly byte[]? _iv;

    /// <summary>Throws <see cref="ArgumentException"/> with the options' first problem.</summary>
    public Sm4PasswordCipher(Sm4PasswordOptions options)
    {
        if (options.Problems("PasswordProtection").FirstOrDefault() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        TextCodec.TryDecode(options.Key, options.KeyEncoding, out _key);
        if (options.Mode == Sm4Mode.Cbc)
        {
            TextCodec.TryDecode(options.Iv!, options.KeyEncoding, out var iv);
            _iv = iv;
        }
    }

    /// <summary>The text sent as requestAK's password. Throws <see cref="FormatException"/> when the password is not text of the Input encoding.</summary>
    public string Protect(string password)
    {
        if (!TextCodec.TryDecode(password, _options.Input, out var plain))
        {
            throw new FormatException($"the password is not {_options.Input} text, as PasswordProtection.Input says it is");
        }

        return TextCodec.Encode(Run(forEncryption: true, Pad(plain)), _options.Output);
    }

    /// <summary>The password inside <paramref name="sent"/>, or null when it does not decrypt under these options.</summary>
    public string? Unprotect(string sent)
    {
        if (!TextCodec.TryDecode(sent, _options.Output, out var encrypted) || encrypted.Length == 0 || encrypted.Length % BlockBytes != 0)
        {
            return null;
        }

        try
        {
            var plain = Unpad(Run(forEncryption: false, encrypted));
            return plain is null ? null : TextCodec.Encode(plain, _options.Input);
        }
        catch (Exception failure) when (failure is InvalidCipherTextException or DataLengthException or ArgumentException)
        {
            return null;
        }
    }

    // Padding is done here, not by the cipher, so that zero padding adds nothing to text that fills whole blocks.
    private byte[] Pad(byte[] plain)
    {
        if (_options.Padding == Sm4Padding.Zero)
        {
            var length = plain.Length == 0 ? BlockBytes : (plain.Length + BlockBytes - 1) / BlockBytes * BlockBytes;
            var zeroPadded = new byte[length];
            plain.CopyTo(zeroPadded, 0);
            return zeroPadded;
        }

        var pad = BlockBytes - (plain.Length % BlockBytes);
        var padded = new byte[plain.Length + pad];
        plain.CopyTo(padded, 0);
        padded.AsSpan(plain.Length).Fill((byte)pad);
        return padded;
    }

    private byte[]? Unpad(byte[] padded)
    {
        if (_options.Padding == Sm4Padding.Zero)
        {
            var end = padded.Length;
            while (end > 0 && padded[end - 1] == 0)
            {
                end--;
            }

            return padded[..end];
        }

        var pad = padded[^1];
        if (pad is 0 or > BlockBytes || padded.AsSpan(padded.Length - pad).ContainsAnyExcept(pad))
        {
            return null;
        }

        return padded[..^pad];
    }

    private byte[] Run(bool forEncryption, byte[] input)
    {
        var cipher = CipherUtilities.GetCipher(_options.Mode == Sm4Mode.Cbc ? "SM4/CBC/NOPADDING" : "SM4/ECB/NOPADDING");
        ICipherParameters parameters = new KeyParameter(_key);
        if (_iv is not null)
        {
            parameters = new ParametersWithIV(parameters, _iv);
        }

        cipher.Init(forEncryption, parameters);
        return cipher.DoFinal(input);
    }
}
