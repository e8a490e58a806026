using System;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EdgeMeter.Core.Packet;
using EdgeMeter.Firmware.Storage;

namespace EdgeMeter.Firmware.Update;

/// <summary>
/// Stages a new application version from an "update" command: downloads its manifest and .pe files over HTTP(S),
/// checks every SHA-256, stores them under I:\edgemeter\app\VERSION and marks the version pending in the
/// <see cref="BootRecord"/>. The next boot tries it (<see cref="AppLauncher"/>); assemblies cannot be unloaded, so a
/// running version is only ever replaced by rebooting.
/// </summary>
/// <remarks>
/// <para>Trust chain: the command is a packet signed with the gateway's HMAC key, and <see cref="Stage"/> only takes
/// a <see cref="VerifiedPacket"/>, which only <see cref="PacketVerifier"/> creates after checking that signature and
/// the expiry. The command names the manifest's SHA-256; the manifest names each file's size and SHA-256. Refusing a
/// replayed command (its sequence number) stays with the command handler, as for every command.</para>
/// <para>Arguments: <c>version</c>, <c>manifest</c> (http:// or https:// URL; the .pe files are fetched from the same
/// directory) and <c>sha256</c> (hex of the manifest).</para>
/// <para>nanoFramework's HttpClient is synchronous (no async API); one download uses one TLS session (~33 KB of
/// native memory on top of the MQTT one), and files are streamed to flash in 1 KB pieces.</para>
/// </remarks>
public sealed class FirmwareUpdater
{
    public const string CommandName = "update";
    private const int MaxManifestBytes = 4096;

    private readonly X509Certificate? _caCertificate;
    private readonly GatewayCommand _command = new GatewayCommand();
    private readonly Sha256 _sha = new Sha256();
    private readonly byte[] _chunk = new byte[1024];
    private readonly byte[] _digest = new byte[Sha256.HashLength];

    /// <param name="caCertificatePem">CA for https:// downloads; null: the CA stored on the device.</param>
    public FirmwareUpdater(string? caCertificatePem)
    {
        if (caCertificatePem != null)
        {
            _caCertificate = new X509Certificate(caCertificatePem);
        }
    }

    /// <summary>Returns null when the version is staged (reboot to try it), else why not.</summary>
    public string? Stage(VerifiedPacket command)
    {
        if (command.Kind != PacketKind.Down)
        {
            return "not a command";
        }

        command.GetCommand(_command);
        var version = Argument("version");
        var manifestUrl = Argument("manifest");
        var manifestHash = Argument("sha256").ToLower();
        if (_command.Name != CommandName || !UpdateManifest.IsName(version) || manifestHash.Length != 64
            || !(manifestUrl.StartsWith("http://") || manifestUrl.StartsWith("https://")))
        {
            return "update needs version, manifest (http/https URL) and sha256 arguments";
        }

        var directory = DevicePaths.UpdateDirectory + "\\" + version;
        try
        {
            var error = Download(manifestUrl, manifestHash, directory, version);
            if (error != null)
            {
                Remove(directory);
                return error;
            }
        }
        catch (Exception failure)
        {
            Remove(directory);
            return "download failed: " + failure.Message;
        }

        BootRecord.Load().Stage(version);
        return null;
    }

    private string? Download(string manifestUrl, string manifestHash, string directory, string version)
    {
        Remove(directory);
        Directory.CreateDirectory(directory);
        using var http = new HttpClient();
        http.Timeout = TimeSpan.FromSeconds(60);
        if (_caCertificate != null)
        {
            http.HttpsAuthentCert = _caCertificate;
        }

        var manifestPath = directory + "\\" + AppLauncher.ManifestFileName;
        var error = Fetch(http, manifestUrl, manifestPath, MaxManifestBytes, manifestHash);
        if (error != null)
        {
            return "manifest: " + error;
        }

        var manifest = UpdateManifest.Parse(File.ReadAllText(manifestPath), out error);
        if (manifest == null)
        {
            return "manifest: " + error;
        }

        if (manifest.Version != version)
        {
            return "manifest is for version " + manifest.Version + ", the command for " + version;
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

        return null;
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

    private string Argument(string name)
    {
        var arguments = _command.Arguments;
        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i].Name == name)
            {
                return arguments[i].Value;
            }
        }

        return "";
    }

    private static void Remove(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, true);
        }
    }
}
