using EdgeMeter.Core.Json;
using EdgeMeter.Core.Text;

namespace EdgeMeter.Core.Keys;

/// <summary>Receives one key of a key file.</summary>
public delegate void PacketKeyHandler(string gatewayId, int keyVersion, byte[] key);

/// <summary>
/// Reads the key registry format shared by the CLI and the receiver (docs/packet-format.md):
/// <c>{"keys":[{"gatewayId":"gw-0001","keyVersion":1,"key":"&lt;hex, at least 32 bytes&gt;"}]}</c>.
/// Strict: no unknown or duplicate members, no repeated gateway id + version. Never throws on bad input.
/// </summary>
public static class PacketKeyFile
{
    public const string KeysMember = "keys";
    public const string GatewayIdMember = "gatewayId";
    public const string KeyVersionMember = "keyVersion";
    public const string KeyMember = "key";

    /// <summary>
    /// Calls <paramref name="onKey"/> for every entry after the whole file has been checked; returns false (with a
    /// one-line <paramref name="error"/>, and no calls) when anything is wrong.
    /// </summary>
    public static bool TryRead(byte[] json, int offset, int count, PacketKeyHandler onKey, out string error)
    {
        var reader = new JsonReader(count, count + 4, 4);
        var parsed = reader.Parse(json, offset, count);
        if (parsed != JsonError.None)
        {
            error = "not valid JSON (" + Describe(parsed) + " at byte " + reader.ErrorOffset.ToString() + ")";
            return false;
        }

        var keys = reader.Find(0, KeysMember);
        if (reader.Kind(0) != JsonKind.Object || reader.Count(0) != 1 || reader.Kind(keys) != JsonKind.Array)
        {
            error = "expected an object with one member \"keys\" holding an array";
            return false;
        }

        var entryCount = reader.Count(keys);
        var gatewayIds = new string[entryCount];
        var versions = new int[entryCount];
        var keyBytes = new byte[entryCount][];
        var entry = reader.FirstChild(keys);
        for (var i = 0; i < entryCount; i++)
        {
            if (!TryReadEntry(reader, entry, out gatewayIds[i], out versions[i], out keyBytes[i], out error))
            {
                error = "keys[" + i.ToString() + "]: " + error;
                return false;
            }

            for (var j = 0; j < i; j++)
            {
                if (gatewayIds[j] == gatewayIds[i] && versions[j] == versions[i])
                {
                    error = "keys[" + i.ToString() + "]: " + PacketKeyId.Format(gatewayIds[i], versions[i]) + " is listed twice";
                    return false;
                }
            }

            entry = reader.Skip(entry);
        }

        for (var i = 0; i < entryCount; i++)
        {
            onKey(gatewayIds[i], versions[i], keyBytes[i]);
        }

        error = "";
        return true;
    }

    private static bool TryReadEntry(JsonReader reader, int entry, out string gatewayId, out int keyVersion, out byte[] key, out string error)
    {
        gatewayId = "";
        keyVersion = 0;
        key = new byte[0];
        var id = reader.Find(entry, GatewayIdMember);
        var version = reader.Find(entry, KeyVersionMember);
        var hex = reader.Find(entry, KeyMember);
        if (reader.Kind(entry) != JsonKind.Object || reader.Count(entry) != 3 || id < 0 || version < 0 || hex < 0)
        {
            error = "expected exactly \"gatewayId\", \"keyVersion\" and \"key\"";
            return false;
        }

        if (reader.Kind(id) != JsonKind.String || !GatewayIdentity.IsGatewayId(reader.Text, reader.TextStart(id), reader.TextLength(id)))
        {
            error = "\"gatewayId\" must be 1-64 of A-Z a-z 0-9 _ -";
            return false;
        }

        if (!reader.TryGetInt64(version, out var parsedVersion) || parsedVersion < 0 || parsedVersion > GatewayIdentity.MaxKeyVersion)
        {
            error = "\"keyVersion\" must be an integer from 0 to " + GatewayIdentity.MaxKeyVersion.ToString();
            return false;
        }

        var decoded = reader.Kind(hex) == JsonKind.String ? Hex.Decode(reader.GetString(hex)) : null;
        if (decoded == null || decoded.Length < GatewayIdentity.MinKeyBytes)
        {
            error = "\"key\" must be hex of at least 32 bytes";
            return false;
        }

        gatewayId = reader.GetString(id);
        keyVersion = (int)parsedVersion;
        key = decoded;
        error = "";
        return true;
    }

    private static string Describe(JsonError error) => error == JsonError.DuplicateKey ? "duplicate member name" : error == JsonError.TrailingData ? "trailing data" : "syntax error";
}
