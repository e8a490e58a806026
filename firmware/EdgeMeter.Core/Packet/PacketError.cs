namespace EdgeMeter.Core.Packet;

/// <summary>Why a packet was refused; <see cref="PacketVerifier.Reason"/> says it in words.</summary>
public enum PacketError
{
    None = 0,

    /// <summary>Not three '.'-separated segments, or empty.</summary>
    Malformed,

    /// <summary>A segment is not canonical unpadded base64url.</summary>
    BadBase64,

    /// <summary>The header is not a JSON object with a string "alg" and a well-formed "kid", or uses "crit".</summary>
    BadHeader,

    /// <summary>"alg" is not the configured algorithm (HS256); "none" and every other value are refused.</summary>
    AlgorithmNotAllowed,

    MissingKid,

    /// <summary>No key is registered for the kid's gateway and key version.</summary>
    UnknownKey,

    BadSignature,

    /// <summary>Data after the signature segment, or after the payload's JSON value.</summary>
    TrailingData,

    /// <summary>The payload is not valid JSON or does not follow the schema.</summary>
    BadPayload,

    /// <summary>A JSON object (header or payload) repeats a member name.</summary>
    DuplicateKey,

    /// <summary>The payload's gateway differs from the kid's or from the topic's.</summary>
    GatewayMismatch,

    /// <summary>The payload's kind differs from the topic's.</summary>
    KindMismatch,

    Oversized,

    /// <summary>A command whose expiry is not after the verifier's "now".</summary>
    Expired,

    UnsupportedSchema,
}
