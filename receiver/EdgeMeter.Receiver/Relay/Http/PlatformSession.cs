namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>
/// An access token from /requestAK. ExpiresAt/ValidFrom come from akExpiresIn/akValidAt ("yyyy-MM-dd HH:mm:ss SSS",
/// Beijing time) and are null when the platform sent something unreadable; the client then relies on 401 alone.
/// PlatformUrl and EnterpriseUploadTime are kept for display only: uploads keep going to the configured address.
/// </summary>
public sealed record PlatformToken(
    string Value, DateTimeOffset? ExpiresAt, DateTimeOffset? ValidFrom, string? EnterpriseUploadTime, string? PlatformUrl);

/// <summary>The configuration and dictionary versions (/checkVersion) every uploaded record must carry.</summary>
public sealed record PlatformVersions(string RegVersion, string DicVersion);
