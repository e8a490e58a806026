using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Text;

namespace EdgeMeter.Core.Update;

/// <summary>
/// The trust step of a firmware update, the same on the board and on a PC gateway: the manifest's bytes must carry
/// the fleet's release signature (base64url HMAC-SHA256 under the release key) before they are parsed, so holding a
/// gateway key is never enough to ship code. Files are then checked against the manifest's sizes and SHA-256s.
/// </summary>
public static class ReleaseManifest
{
    /// <summary>Largest manifest accepted: a few lines per file.</summary>
    public const int MaxBytes = 4096;

    /// <summary>The manifest when the signature matches and it parses; else null and why.</summary>
    public static UpdateManifest? Open(byte[] manifest, int count, byte[] releaseKey, string signature, IPacketMac mac, out string error)
    {
        var expected = Base64Url.Decode(signature);
        if (expected == null || expected.Length != mac.MacLength)
        {
            error = "signature must be the base64url HMAC-SHA256 of the manifest";
            return null;
        }

        var actual = new byte[mac.MacLength];
        mac.Compute(releaseKey, manifest, 0, count, actual, 0);
        if (!mac.FixedTimeEquals(actual, 0, expected, 0, actual.Length))
        {
            error = "the manifest's release signature does not match";
            return null;
        }

        var text = Utf8.Decode(manifest, 0, count);
        if (text == null)
        {
            error = "manifest: not UTF-8 text";
            return null;
        }

        var parsed = UpdateManifest.Parse(text, out error);
        if (parsed == null)
        {
            error = "manifest: " + error;
        }

        return parsed;
    }

    /// <summary>The release signature of a manifest (what `edgemeter release sign` prints).</summary>
    public static string Sign(byte[] manifest, int count, byte[] releaseKey, IPacketMac mac)
    {
        var signature = new byte[mac.MacLength];
        mac.Compute(releaseKey, manifest, 0, count, signature, 0);
        return Base64Url.Encode(signature);
    }
}
