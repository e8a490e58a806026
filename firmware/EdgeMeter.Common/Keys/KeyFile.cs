using System.Security.Cryptography;
using System.Text.Json;
using EdgeMeter.Core.Keys;

namespace EdgeMeter.Common.Keys;

/// <summary>One gateway key version.</summary>
public sealed record KeyEntry(string GatewayId, int KeyVersion, byte[] Key)
{
    /// <summary>Safe to show: the first 8 bytes of the key's SHA-256, never the key.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Key).AsSpan(0, 8));

    public override string ToString() => $"{PacketKeyId.Format(GatewayId, KeyVersion)} ({Fingerprint})";
}

/// <summary>
/// Reads and writes the key registry file of docs/packet-format.md. Writes are atomic (temporary file, then
/// rename) and leave the file readable by its owner only (0600): it holds every gateway's secret.
/// </summary>
public static class KeyFile
{
    /// <summary>Throws <see cref="FormatException"/> (one-line reason) or an IO exception.</summary>
    public static List<KeyEntry> Read(string path) => Parse(File.ReadAllBytes(path));

    public static List<KeyEntry> Parse(byte[] json)
    {
        var entries = new List<KeyEntry>();
        if (!PacketKeyFile.TryRead(json, 0, json.Length, (id, version, key) => entries.Add(new KeyEntry(id, version, key)), out var error))
        {
            throw new FormatException(error);
        }

        return entries;
    }

    /// <summary>The key file's text of <paramref name="entries"/>, as <see cref="Write"/> writes it.</summary>
    public static byte[] Serialize(IEnumerable<KeyEntry> entries)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(PacketKeyFile.KeysMember);
            foreach (var entry in entries.OrderBy(e => e.GatewayId, StringComparer.Ordinal).ThenBy(e => e.KeyVersion))
            {
                writer.WriteStartObject();
                writer.WriteString(PacketKeyFile.GatewayIdMember, entry.GatewayId);
                writer.WriteNumber(PacketKeyFile.KeyVersionMember, entry.KeyVersion);
                writer.WriteString(PacketKeyFile.KeyMember, Convert.ToHexStringLower(entry.Key));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    public static void Write(string path, IEnumerable<KeyEntry> entries)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, create))
        {
            stream.Write(Serialize(entries));
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, full, overwrite: true);
    }
}
