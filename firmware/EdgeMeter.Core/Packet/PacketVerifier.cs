using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Json;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Text;

namespace EdgeMeter.Core.Packet;

/// <summary>
/// Verifies packets: JWS compact serialization, "alg" exactly the configured MAC's (HS256), a "kid" naming a
/// registered key, the signature (compared in constant time), then the payload (I-JSON, schema v1 or v2, gateway and
/// kind bound to the kid and topic, command expiry). It never throws on bad input: <see cref="Verify(byte[], int, int, string, PacketKind, System.DateTime)"/>
/// returns a <see cref="PacketError"/> and <see cref="Reason"/> says why in one line. Replay protection needs
/// state and is the caller's: dedupe on <see cref="VerifiedPacket.GatewayId"/> + <see cref="VerifiedPacket.Sequence"/>.
/// Buffers are allocated once; not thread-safe: one verifier per thread.
/// </summary>
public sealed class PacketVerifier
{
    private const int HeaderMaxTokens = 64;
    private const int HeaderMaxDepth = 4;
    private const int PayloadMaxDepth = 4;
    private const int SignatureMaxCharacters = 128;

    private readonly IPacketKeyStore _keys;
    private readonly IPacketMac _mac;
    private readonly byte[] _header = new byte[PacketLimits.MaxHeaderBytes];
    private readonly byte[] _payload;
    private readonly byte[] _signature;
    private readonly byte[] _expected;
    private readonly JsonReader _headerJson = new JsonReader(PacketLimits.MaxHeaderBytes, HeaderMaxTokens, HeaderMaxDepth);
    private readonly JsonReader _payloadJson;

    public PacketVerifier(IPacketKeyStore keys, IPacketMac mac)
        : this(keys, mac, PacketLimits.DefaultMaxPacketBytes)
    {
    }

    // A JSON token takes at least two bytes ("1,"), so this many tokens cover any payload that fits.
    public PacketVerifier(IPacketKeyStore keys, IPacketMac mac, int maxPacketBytes)
        : this(keys, mac, maxPacketBytes, (Base64Url.MaxDecodedLength(maxPacketBytes) / 2) + PayloadMaxDepth + 2)
    {
    }

    /// <summary>
    /// A verifier whose payloads have at most <paramref name="maxPayloadTokens"/> JSON tokens: a command needs few
    /// tokens but room for a large argument, and token tables cost 20 bytes a token (a gateway's heap is ~100 KB).
    /// </summary>
    public PacketVerifier(IPacketKeyStore keys, IPacketMac mac, int maxPacketBytes, int maxPayloadTokens)
    {
        _keys = keys;
        _mac = mac;
        MaxPacketBytes = maxPacketBytes;
        var maxPayload = Base64Url.MaxDecodedLength(maxPacketBytes);
        _payload = new byte[maxPayload];
        _signature = new byte[Base64Url.MaxDecodedLength(SignatureMaxCharacters)];
        _expected = new byte[mac.MacLength];
        _payloadJson = new JsonReader(maxPayload, maxPayloadTokens, PayloadMaxDepth);

        // A v2 reading is two tokens (point and value) in its row.
        Packet = new VerifiedPacket(_payloadJson, _header, _payload, (maxPayloadTokens / 2) + 1);
    }

    public int MaxPacketBytes { get; }

    /// <summary>The outcome of the last Verify call.</summary>
    public PacketError Error { get; private set; }

    /// <summary>Why the last packet was refused, in one line; empty when it was accepted.</summary>
    public string Reason { get; private set; } = "";

    /// <summary>The accepted packet's contents; meaningful only when the last Verify returned None.</summary>
    public VerifiedPacket Packet { get; }

    /// <summary>Verifies a packet that arrived without a topic (the topic binding is skipped).</summary>
    public PacketError Verify(byte[] packet, int offset, int count, System.DateTime nowUtc) =>
        Verify(packet, offset, count, null, PacketKind.None, nowUtc);

    /// <summary>Verifies a packet given as text (allocates a byte copy).</summary>
    public PacketError Verify(string packet, string? topicGatewayId, PacketKind topicKind, System.DateTime nowUtc)
    {
        var bytes = Utf8.GetBytes(packet);
        return Verify(bytes, 0, bytes.Length, topicGatewayId, topicKind, nowUtc);
    }

    /// <summary>
    /// Verifies <c>packet[offset..offset+count)</c>, received on the topic of <paramref name="topicGatewayId"/> and
    /// <paramref name="topicKind"/> (null / None to skip that binding); <paramref name="nowUtc"/> judges command expiry.
    /// </summary>
    public PacketError Verify(byte[] packet, int offset, int count, string? topicGatewayId, PacketKind topicKind, System.DateTime nowUtc)
    {
        Packet.Clear();
        Reason = "";
        Error = Check(packet, offset, count, topicGatewayId, topicKind, nowUtc);
        if (Error != PacketError.None)
        {
            Packet.Clear();
        }

        return Error;
    }

    private PacketError Check(byte[] packet, int offset, int count, string? topicGatewayId, PacketKind topicKind, System.DateTime nowUtc)
    {
        if (packet == null || count <= 0 || offset < 0 || offset + count > packet.Length)
        {
            return Fail(PacketError.Malformed, "empty packet");
        }

        if (count > MaxPacketBytes)
        {
            return Fail(PacketError.Oversized, "packet is " + count.ToString() + " bytes; the limit is " + MaxPacketBytes.ToString());
        }

        var end = offset + count;
        if (IsWhitespace(packet[end - 1]) || IsWhitespace(packet[offset]))
        {
            return Fail(PacketError.TrailingData, "whitespace around the packet (strip it before verifying)");
        }

        var firstDot = IndexOfDot(packet, offset, end);
        var secondDot = firstDot < 0 ? -1 : IndexOfDot(packet, firstDot + 1, end);
        if (secondDot < 0)
        {
            return Fail(PacketError.Malformed, "not a JWS compact serialization: expected three base64url segments separated by '.'");
        }

        if (IndexOfDot(packet, secondDot + 1, end) >= 0)
        {
            return Fail(PacketError.TrailingData, "data after the signature segment (more than three segments)");
        }

        var headerLength = DecodeHeader(packet, offset, firstDot - offset);
        if (headerLength < 0)
        {
            return Error;
        }

        var error = CheckHeader(headerLength, out var gatewayId, out var keyVersion);
        if (error != PacketError.None)
        {
            return error;
        }

        var payloadLength = Base64Url.Decode(packet, firstDot + 1, secondDot - firstDot - 1, _payload, 0);
        if (payloadLength < 0)
        {
            return Fail(PacketError.BadBase64, "the payload segment is not unpadded base64url");
        }

        var key = _keys.FindKey(gatewayId, keyVersion);
        if (key == null)
        {
            return Fail(PacketError.UnknownKey, "no key registered for kid \"" + PacketKeyId.Format(gatewayId, keyVersion) + "\"");
        }

        error = CheckSignature(packet, offset, secondDot, end, key, gatewayId, keyVersion);
        if (error != PacketError.None)
        {
            return error;
        }

        Packet.SetSource(headerLength, payloadLength, gatewayId, keyVersion);
        error = ParsePayload(payloadLength);
        if (error != PacketError.None)
        {
            return error;
        }

        error = Packet.Validate(topicGatewayId, topicKind, nowUtc, out var reason);
        return error == PacketError.None ? PacketError.None : Fail(error, reason);
    }

    private int DecodeHeader(byte[] packet, int start, int length)
    {
        if (Base64Url.MaxDecodedLength(length) > _header.Length)
        {
            Fail(PacketError.BadHeader, "the header is longer than " + PacketLimits.MaxHeaderBytes.ToString() + " bytes");
            return -1;
        }

        var headerLength = Base64Url.Decode(packet, start, length, _header, 0);
        if (headerLength < 0)
        {
            Fail(PacketError.BadBase64, "the header segment is not unpadded base64url");
        }

        return headerLength;
    }

    private PacketError CheckHeader(int headerLength, out string gatewayId, out int keyVersion)
    {
        gatewayId = "";
        keyVersion = 0;
        var json = _headerJson;
        var parsed = json.Parse(_header, 0, headerLength);
        if (parsed == JsonError.DuplicateKey)
        {
            return Fail(PacketError.DuplicateKey, "header: duplicate member name at byte " + json.ErrorOffset.ToString());
        }

        if (parsed != JsonError.None)
        {
            return Fail(PacketError.BadHeader, "the header is not valid JSON (" + JsonErrorName(parsed) + " at byte " + json.ErrorOffset.ToString() + ")");
        }

        if (json.Kind(0) != JsonKind.Object)
        {
            return Fail(PacketError.BadHeader, "the header is not a JSON object");
        }

        var alg = json.Find(0, PacketFields.Algorithm);
        if (json.Kind(alg) != JsonKind.String)
        {
            return Fail(PacketError.BadHeader, "the header has no string \"alg\"");
        }

        if (!json.TextEquals(alg, _mac.Algorithm))
        {
            return Fail(PacketError.AlgorithmNotAllowed, "alg \"" + Shorten(json.GetString(alg)) + "\" is not allowed; only \"" + _mac.Algorithm + "\" is accepted");
        }

        if (json.Find(0, PacketFields.Critical) >= 0)
        {
            return Fail(PacketError.BadHeader, "header parameter \"crit\" is not supported");
        }

        var kid = json.Find(0, PacketFields.KeyId);
        if (kid < 0)
        {
            return Fail(PacketError.MissingKid, "the header has no \"kid\" (expected \"<gatewayId>.<keyVersion>\")");
        }

        if (json.Kind(kid) != JsonKind.String
            || !PacketKeyId.TryParse(json.Text, json.TextStart(kid), json.TextLength(kid), out var gatewayLength, out keyVersion))
        {
            var shown = json.Kind(kid) == JsonKind.String ? "\"" + Shorten(json.GetString(kid)) + "\"" : "(not a string)";
            return Fail(PacketError.BadHeader, "kid " + shown + " is not \"<gatewayId>.<keyVersion>\"");
        }

        gatewayId = new string(json.Text, json.TextStart(kid), gatewayLength);
        return PacketError.None;
    }

    private PacketError CheckSignature(byte[] packet, int offset, int secondDot, int end, byte[] key, string gatewayId, int keyVersion)
    {
        var characters = end - secondDot - 1;
        if (characters > SignatureMaxCharacters)
        {
            return Fail(PacketError.BadSignature, "the signature segment is " + characters.ToString() + " characters; " + _mac.Algorithm + " signatures are " + Base64Url.EncodedLength(_expected.Length).ToString());
        }

        var signatureLength = Base64Url.Decode(packet, secondDot + 1, characters, _signature, 0);
        if (signatureLength < 0)
        {
            return Fail(PacketError.BadBase64, "the signature segment is not unpadded base64url");
        }

        if (signatureLength != _expected.Length)
        {
            return Fail(PacketError.BadSignature, "the signature is " + signatureLength.ToString() + " bytes; " + _mac.Algorithm + " signatures are " + _expected.Length.ToString());
        }

        _mac.Compute(key, packet, offset, secondDot - offset, _expected, 0);
        if (!_mac.FixedTimeEquals(_expected, 0, _signature, 0, _expected.Length))
        {
            return Fail(PacketError.BadSignature, "the signature does not match (key \"" + PacketKeyId.Format(gatewayId, keyVersion) + "\")");
        }

        return PacketError.None;
    }

    private PacketError ParsePayload(int payloadLength)
    {
        var parsed = _payloadJson.Parse(_payload, 0, payloadLength);
        if (parsed == JsonError.None)
        {
            return PacketError.None;
        }

        var at = " at byte " + _payloadJson.ErrorOffset.ToString();
        switch (parsed)
        {
            case JsonError.DuplicateKey:
                return Fail(PacketError.DuplicateKey, "payload: duplicate member name" + at);
            case JsonError.TrailingData:
                return Fail(PacketError.TrailingData, "payload: data after the JSON value" + at);
            default:
                return Fail(PacketError.BadPayload, "payload: not valid JSON (" + JsonErrorName(parsed) + at + ")");
        }
    }

    private static bool IsWhitespace(byte c) => c == ' ' || c == '\n' || c == '\r' || c == '\t';

    private static int IndexOfDot(byte[] packet, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (packet[i] == '.')
            {
                return i;
            }
        }

        return -1;
    }

    private static string JsonErrorName(JsonError error)
    {
        switch (error)
        {
            case JsonError.UnexpectedEnd: return "unexpected end";
            case JsonError.UnexpectedCharacter: return "unexpected character";
            case JsonError.BadEscape: return "bad escape";
            case JsonError.BadUtf8: return "invalid UTF-8";
            case JsonError.LoneSurrogate: return "unpaired surrogate";
            case JsonError.ControlCharacter: return "control character in string";
            case JsonError.BadNumber: return "bad number";
            case JsonError.TooDeep: return "nested too deeply";
            case JsonError.TooManyTokens: return "too many values";
            case JsonError.TooLong: return "too long";
            default: return "error";
        }
    }

    // Reasons end up in logs and terminals: keep attacker-chosen text short and free of control characters.
    private static string Shorten(string text)
    {
        var chars = text.ToCharArray(0, text.Length > 32 ? 32 : text.Length);
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] < 0x20 || chars[i] == 0x7F)
            {
                chars[i] = '?';
            }
        }

        return new string(chars) + (text.Length > 32 ? "..." : "");
    }

    private PacketError Fail(PacketError error, string reason)
    {
        Error = error;
        Reason = reason;
        return error;
    }
}
