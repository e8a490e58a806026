using System;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Text;
using EdgeMeter.Core.Update;
using EdgeMeter.Firmware.Buffer;
using EdgeMeter.Firmware.Provisioning;
using EdgeMeter.Firmware.Runtime;

namespace EdgeMeter.Firmware.Update;

/// <summary>
/// Carries out the "firmware-update" command: downloads an application version's manifest and .pe files over
/// HTTP(S), checks them, stores them under I:\edgemeter\app\VERSION and marks the version pending in the
/// <see cref="BootRecord"/>. The next boot tries it (<see cref="AppLauncher"/>); assemblies cannot be unloaded, so a
/// running version is only ever replaced by rebooting.
/// </summary>
/// <remarks>
/// <para>Arguments (docs/packet-format.md): <c>url</c> of the manifest (the .pe files are fetched from the same
/// directory), <c>sha256</c> of the manifest, and <c>signature</c>: base64url HMAC-SHA256 of the manifest's bytes
/// under the fleet's release key (<see cref="DevicePaths.ReleaseKeyFile"/>). The command processor has already
/// checked the command packet's own signature (the gateway key), its expiry and its sequence number; the release
/// signature means that whoever holds gateway keys (receiver, platform) still cannot ship code without the release
/// key. Without a release key on the device, updates are refused.</para>
/// <para>Trust chain: release key → manifest → each file's size and SHA-256. Then each .pe header is checked against
/// the board's libraries (<see cref="UpdateCompatibility"/>), so an update built for another board image is refused
/// with its reason here rather than failing at the next boot.</para>
/// <para>nanoFramework's HttpClient is synchronous (no async API); a download uses one TLS session (~33 KB of native
/// memory besides the MQTT one), and files are streamed to flash in 1 KB pieces.</para>
/// </remarks>
public sealed class FirmwareUpdater
{
    private readonly IPacketMac _mac;
    private readonly X509Certificate? _caCertificate;
    private readonly Sha256 _sha = new Sha256();
    private readonly byte[] _chunk = new byte[1024];
    private readonly byte[] _digest = new byte[Sha256.HashLength];

    /// <param name="caCertificatePem">CA for https:// downloads; null: the CA stored on the device.</param>
    public FirmwareUpdater(IPacketMac mac, string? caCertificatePem)
    {
        _mac = mac;
        if (caCertificatePem != null)
        {
            _caCertificate = new X509Certificate(caCertificatePem);
        }
    }

    /// <summary>Returns null when a version is staged (restart to try it), else why not.</summary>
    public string? Stage(string url, string sha256, string signature)
    {
        if (!(url.StartsWith("http://") || url.StartsWith("https://")) || sha256.Length != 64)
        {
            return "firmware-update needs an http(s) url and a 64-hex-digit sha256";
        }

        var releaseKey = GatewayKey.Read(DevicePaths.ReleaseKeyFile, out var keyError);
        var expectedMac = Base64Url.Decode(signature);
        if (releaseKey == null)
        {
            return "no release key on this gateway: " + keyError;
        }

        if (expectedMac == null || expectedMac.Length != _mac.MacLength)
        {
            return "signature must be the base64url HMAC-SHA256 of the manifest";
        }

        var staging = DevicePaths.UpdateDirectory + "\\incoming";
        try
        {
            Remove(staging);
            Directory.CreateDirectory(staging);
            var error = Download(url, sha256.ToLower(), releaseKey.Key, signature, staging, out var version);
            if (error != null)
            {
                Remove(staging);
                return error;
            }

            var target = DevicePaths.UpdateDirectory + "\\" + version;
            Remove(target);
            Directory.Move(staging, target);
            BootRecord.Load().Stage(version);
            return null;
        }
        catch (Exception failure)
        {
            Remove(staging);
            return "download failed: " + failure.Message;
        }
    }

    private string? Download(string manifestUrl, string manifestHash, byte[] releaseKey, string signature, string directory, out string version)
    {
        version = "";
        using var http = new HttpClient();
        http.Timeout = TimeSpan.FromSeconds(60);
        if (_caCertificate != null)
        {
            http.HttpsAuthentCert = _caCertificate;
        }

        var manifestPath = directory + "\\" + AppLauncher.ManifestFileName;
        var error = Fetch(http, manifestUrl, manifestPath, ReleaseManifest.MaxBytes, manifestHash);
        if (error != null)
        {
            return "manifest: " + error;
        }

        var manifestBytes = File.ReadAllBytes(manifestPath);
        var manifest = ReleaseManifest.Open(manifestBytes, manifestBytes.Length, releaseKey, signature, _mac, out error);
        if (manifest == null)
        {
            return error;
        }

        var baseUrl = manifestUrl.Substring(0, manifestUrl.LastIndexOf('/') + 1);
        for (var i = 0; i < manifest.Files.Length; i++)
        {
            var file = manifest.Files[i];
            error = Fetch(http, baseUrl + file.Name, directory + "\\" + file.Name, file.Size, file.Sha256);
            if (error != null)
            {
                return file.Name + ": " + error;
            }
        }

        error = CheckImages(manifest, directory);
        if (error != null)
        {
            return error;
        }

        version = manifest.Version;
        return null;
    }

    /// <summary>Refuses, before staging, images that could not run on this board's libraries.</summary>
    private static string? CheckImages(UpdateManifest manifest, string directory)
    {
        var images = new AssemblyImage[manifest.Files.Length];
        for (var i = 0; i < images.Length; i++)
        {
            var name = manifest.Files[i].Name;
            using var file = new FileBytes(directory + "\\" + name);
            var image = AssemblyImage.Read(file, out var error);
            if (image == null)
            {
                return name + ": " + error;
            }

            images[i] = image;
        }

        return UpdateCompatibility.Check(images, new LoadedAssemblies());
    }

    /// <summary>Streams one URL to a file while hashing it; null when its size and SHA-256 are as expected.</summary>
    private string? Fetch(HttpClient http, string url, string path, int maxBytes, string expectedHash)
    {
        using var response = http.Get(url, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            return "HTTP " + ((int)response.StatusCode).ToString() + " from " + url;
        }

        _sha.Reset();
        var total = 0;
        using (var body = response.Content.ReadAsStream())
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            int n;
            while ((n = body.Read(_chunk, 0, _chunk.Length)) > 0)
            {
                total += n;
                if (total > maxBytes)
                {
                    return "larger than " + maxBytes.ToString() + " bytes";
                }

                _sha.Update(_chunk, 0, n);
                file.Write(_chunk, 0, n);
            }
        }

        _sha.Final(_digest, 0);
        return Hex.Encode(_digest) == expectedHash ? null : "SHA-256 mismatch";
    }

    private static void Remove(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, true);
        }
    }
}
