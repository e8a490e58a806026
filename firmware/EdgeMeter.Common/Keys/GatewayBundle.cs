using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeMeter.Core.Keys;

namespace EdgeMeter.Common.Keys;

/// <summary>
/// The receiver's side of one provisioned gateway, as `edgemeter provision` writes it and
/// `edgemeter-receiver gateways import` reads it: the packet key, the broker credential as a PBKDF2 hash (the
/// password itself is only in the device's configuration), and optionally the enterprise.
/// <code>{"bundle":1,"gatewayId":"gw-0001","enterprise":"9153...","mqttPasswordHash":"pbkdf2-sha256$...","keys":[{"gatewayId":..,"keyVersion":..,"key":".."}]}</code>
/// </summary>
public sealed record GatewayBundle(string GatewayId, string? Enterprise, string MqttPasswordHash, IReadOnlyList<KeyEntry> Keys)
{
    public const int Version = 1;

    public void Write(string path)
    {
        var keys = new JsonArray([.. Keys.Select(k => (JsonNode)new JsonObject
        {
            [PacketKeyFile.GatewayIdMember] = k.GatewayId,
            [PacketKeyFile.KeyVersionMember] = k.KeyVersion,
            [PacketKeyFile.KeyMember] = Convert.ToHexStringLower(k.Key),
        })]);
        var json = new JsonObject
        {
            ["bundle"] = Version,
            ["gatewayId"] = GatewayId,
            ["enterprise"] = Enterprise,
            ["mqttPasswordHash"] = MqttPasswordHash,
            ["keys"] = keys,
        };
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteTo(writer);
    }

    /// <summary>Throws <see cref="FormatException"/> naming what is wrong, or an IO exception.</summary>
    public static GatewayBundle Read(string path)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new FormatException("not a JSON object");
        }
        catch (JsonException failure)
        {
            throw new FormatException($"not JSON: {failure.Message}");
        }

        if (json["bundle"]?.GetValueKind() != JsonValueKind.Number || (int)json["bundle"]! != Version)
        {
            throw new FormatException($"bundle: not a version {Version} gateway bundle (made by edgemeter provision)");
        }

        var id = Text(json, "gatewayId") ?? throw new FormatException("gatewayId: missing");
        if (!GatewayIdentity.IsGatewayId(id))
        {
            throw new FormatException($"gatewayId: '{id}' is not a gateway id");
        }

        var hash = Text(json, "mqttPasswordHash") ?? throw new FormatException("mqttPasswordHash: missing");
        if (!Crypto.PasswordHash.IsWellFormed(hash))
        {
            throw new FormatException("mqttPasswordHash: not pbkdf2-sha256$iterations$salt$hash");
        }
        var keysJson = json["keys"]?.ToJsonString() ?? throw new FormatException("keys: missing");
        var keys = KeyFile.Parse(System.Text.Encoding.UTF8.GetBytes($"{{\"{PacketKeyFile.KeysMember}\":{keysJson}}}"));
        if (keys.Count == 0 || keys.Any(k => k.GatewayId != id))
        {
            throw new FormatException($"keys: one or more keys of gateway {id}, and no other's");
        }

        return new GatewayBundle(id, Text(json, "enterprise"), hash, keys);
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
