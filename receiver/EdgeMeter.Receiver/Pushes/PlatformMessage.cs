namespace EdgeMeter.Receiver.Pushes;

/// <summary>
/// What a platform pushed, as verified: its id (jti, unique per account), when it was issued, the text for the
/// enterprise and its gateways, and whom it is for: the enterprises of its aud, narrowed to some of their gateways
/// when it names them.
/// </summary>
public sealed record PlatformMessage(
    string Account, string Platform, string MessageId, DateTimeOffset IssuedAt, string Text, IReadOnlyList<string> Gateways, IReadOnlyList<string> Enterprises);
