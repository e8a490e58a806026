using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Keys;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Text;
using EdgeMeter.Core.Update;
using EdgeMeter.Pc.Runtime;

namespace EdgeMeter.Pc.Update;

/// <summary>
/// firmware-update on a PC gateway: the board's steps up to the swap. It downloads the manifest, checks its SHA-256
/// and the fleet's release signature (data/release-key.json), downloads every file the manifest names from the same
/// directory, checks each size and SHA-256 and keeps the verified version under data/updates/VERSION. Only a board
/// loads .pe files; a PC gateway goes on running its own build.
/// </summary>
public sealed class PcFirmwareUpdater(GatewayData data, HttpMessageHandler? handler = null)
{
    /// <summary>Null when the version is verified and kept (its directory in <see cref="LastStaged"/>), else why not.</summary>
    public string? Stage(string url, string sha256, string signature)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var manifestUri) || manifestUri.Scheme is not ("http" or "https") || sha256.Length != 64 || Hex.Decode(sha256) is null)
        {
            return "firmware-update needs an http(s) url and a 64-hex-digit sha256";
        }

        if (ReleaseKey(out var keyError) is not { } releaseKey)
        {
            return keyError;
        }

        // A name no manifest version can have (a version may not start with a dot).
        var incoming = Path.Combine(data.UpdatesDirectory, ".incoming");
        try
        {
            Remove(incoming);
            Directory.CreateDirectory(incoming);
            using var http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null);
            using var deadline = new CancellationTokenSource(DownloadTimeout);
            var manifestBytes = Fetch(http, manifestUri, ReleaseManifest.MaxBytes, sha256.ToLowerInvariant(), deadline.Token, out var error);
            if (manifestBytes is null)
            {
                return "manifest: " + error;
            }

            var manifest = ReleaseManifest.Open(manifestBytes, manifestBytes.Length, releaseKey, signature, new DotNetPacketMac(), out error);
            if (manifest is null)
            {
                return error;
            }

            File.WriteAllBytes(Path.Combine(incoming, "manifest.txt"), manifestBytes);
            foreach (var file in manifest.Files)
            {
                var bytes = Fetch(http, new Uri(manifestUri, file.Name), file.Size, file.Sha256, deadline.Token, out error);
                if (bytes is null)
                {
                    return file.Name + ": " + error;
                }

                File.WriteAllBytes(Path.Combine(incoming, file.Name), bytes);
            }

            Keep(incoming, Path.Combine(data.UpdatesDirectory, manifest.Version));
            LastStaged = Path.Combine(data.UpdatesDirectory, manifest.Version);
            return null;
        }
        catch (OperationCanceledException)
        {
            return $"download failed: not complete within {DownloadTimeout.TotalSeconds:0} s";
        }
        catch (Exception failure) when (failure is HttpRequestException or IOException or UnauthorizedAccessException)
        {
            return "download failed: " + failure.Message;
        }
        finally
        {
            TryRemove(incoming);
        }
    }

    /// <summary>The whole download (manifest and files) must finish within this, however slowly a server sends.</summary>
    public static readonly TimeSpan DownloadTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The directory of the version the last successful <see cref="Stage"/> kept.</summary>
    public string? LastStaged { get; private set; }

    private byte[]? ReleaseKey(out string error)
    {
        error = "";
        if (!File.Exists(data.ReleaseKeyPath))
        {
            error = $"no release key on this gateway: {data.ReleaseKeyPath} is missing (edgemeter release keygen makes the fleet's)";
            return null;
        }

        try
        {
            var entries = KeyFile.Read(data.ReleaseKeyPath);
            if (entries.Count == 1)
            {
                return entries[0].Key;
            }

            error = $"{data.ReleaseKeyPath} must hold exactly one key, not {entries.Count}";
        }
        catch (Exception failure) when (failure is FormatException or IOException or UnauthorizedAccessException)
        {
            error = $"{data.ReleaseKeyPath}: {failure.Message}";
        }

        return null;
    }

    /// <summary>One URL's body, when it is at most <paramref name="maxBytes"/> and has the SHA-256 expected.</summary>
    private static byte[]? Fetch(HttpClient http, Uri url, int maxBytes, string expectedHash, CancellationToken deadline, out string error)
    {
        using var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline).GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            error = $"HTTP {(int)response.StatusCode} from {url}";
            return null;
        }

        using var body = response.Content.ReadAsStream(deadline);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = body.ReadAsync(chunk, deadline).AsTask().GetAwaiter().GetResult()) > 0)
        {
            if (buffer.Length + n > maxBytes)
            {
                error = $"larger than {maxBytes} bytes";
                return null;
            }

            buffer.Write(chunk, 0, n);
        }

        var bytes = buffer.ToArray();
        var digest = new byte[Sha256.HashLength];
        var sha = new Sha256();
        sha.Update(bytes, 0, bytes.Length);
        sha.Final(digest, 0);
        error = Hex.Encode(digest) == expectedHash ? "" : "SHA-256 mismatch";
        return error.Length == 0 ? bytes : null;
    }

    /// <summary>Puts the verified version in place; a copy of the same version already there is replaced only once the new one is.</summary>
    private static void Keep(string incoming, string target)
    {
        var previous = target + ".previous";
        TryRemove(previous);
        if (Directory.Exists(target))
        {
            Directory.Move(target, previous);
        }

        Directory.Move(incoming, target);
        TryRemove(previous);
    }

    private static void Remove(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void TryRemove(string directory)
    {
        try
        {
            Remove(directory);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            // Left for the next update to clear; the outcome of this one is already decided.
        }
    }
}
