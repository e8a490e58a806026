using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EdgeMeter.Receiver.Ops;

/// <summary>
/// Append-only audit log of admin actions (GB/T 22239: time, user, event, outcome; protected from tampering).
/// One JSON object per line: {"time","actor","action","target","outcome","detail","prev","hash"}, where hash is
/// the SHA-256 (hex) of the line up to and without its hash member (closed with "}"), and prev is the hash of the
/// line before ("" for the first). Editing, removing or reordering a line breaks the chain:
/// `edgemeter-receiver audit verify --file F` finds where. Secrets never go into a detail. The running receiver and
/// the operator's commands (keys, gateways import) append to the same file: each append takes FILE.lock and reads
/// the last line's hash first, so the chain holds whoever wrote last.
/// </summary>
public sealed class AuditLog : IDisposable
{
    private const string HashMember = ",\"hash\":\"";
    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly TimeProvider _time;
    private string _previous;

    public AuditLog(string path, TimeProvider? time = null)
    {
        Path = path;
        _time = time ?? TimeProvider.System;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _previous = LastHash(path);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
    }

    public string Path { get; }

    public void Append(string actor, string action, string target, string outcome, string? detail = null)
    {
        lock (_gate)
        {
            using var otherWriters = LockAgainstOtherProcesses();
            _previous = LastHash(Path);
            var body = Body(_time.GetUtcNow().UtcDateTime, actor, action, target, outcome, detail ?? "", _previous);
            var hash = Hash(body);
            var line = string.Concat(body.AsSpan(0, body.Length - 1), HashMember, hash, "\"}\n");
            _file.Seek(0, SeekOrigin.End); // another process may have appended since
            _file.Write(Encoding.UTF8.GetBytes(line));
            _file.Flush(flushToDisk: true);
            _previous = hash;
        }
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Checks the whole chain. Returns null when intact, else which line is wrong and why.</summary>
    public static string? Verify(string path, out int lines)
    {
        lines = 0;
        var previous = "";
        foreach (var line in File.ReadLines(path))
        {
            lines++;
            if (!TrySplit(line, out var body, out var hash))
            {
                return $"line {lines}: not an audit record";
            }

            if (Hash(body) != hash)
            {
                return $"line {lines}: its hash does not match its content (edited)";
            }

            if (PreviousOf(body) != previous)
            {
                return $"line {lines}: does not follow line {lines - 1} (a line was removed, inserted or reordered)";
            }

            previous = hash;
        }

        return null;
    }

    private static string Body(DateTime time, string actor, string action, string target, string outcome, string detail, string previous)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("time", time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("actor", actor);
            writer.WriteString("action", action);
            writer.WriteString("target", target);
            writer.WriteString("outcome", outcome);
            writer.WriteString("detail", detail);
            writer.WriteString("prev", previous);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Hash(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    private static bool TrySplit(string line, out string body, out string hash)
    {
        body = "";
        hash = "";
        var at = line.LastIndexOf(HashMember, StringComparison.Ordinal);
        if (at < 0 || !line.EndsWith("\"}", StringComparison.Ordinal))
        {
            return false;
        }

        body = line[..at] + "}";
        hash = line[(at + HashMember.Length)..^2];
        return hash.Length == 64;
    }

    private static string? PreviousOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("prev", out var previous) ? previous.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The last line's hash, read from the end of the file (an audit line is far shorter than the tail read).
    private static string LastHash(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var tail = new byte[(int)Math.Min(file.Length, 64 * 1024)];
        file.Seek(-tail.Length, SeekOrigin.End);
        file.ReadExactly(tail);
        var last = Encoding.UTF8.GetString(tail).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return last is not null && TrySplit(last, out _, out var hash) ? hash : "";
    }

    // An exclusive lock on FILE.lock (an advisory lock every writer of this class takes), waited for up to 5 s.
    // Opened for reading only, so a lock file an administrator's command created stays usable by the service.
    private FileStream LockAgainstOtherProcesses()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.Read, FileShare.None);
            }
            catch (IOException) when (attempt < 250)
            {
                Thread.Sleep(20);
            }
        }
    }
}
