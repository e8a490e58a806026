using EdgeMeter.Common.Crypto;
using System.Security.Cryptography;
using System.Text;
using EdgeMeter.Receiver.Config;

namespace EdgeMeter.Receiver.Auth;

/// <summary>
/// Authenticates clients of the embedded broker: gateways (client id = username = gateway id) and read-only
/// platform accounts (client id starting with the username, which contains a dot and so can never take over a
/// gateway's session). No anonymous access. Secrets are compared in constant time and never logged.
/// </summary>
public sealed class BrokerCredentials
{
    private readonly Dictionary<string, Secret> _gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Secret> _platforms = new(StringComparer.Ordinal);

    public BrokerCredentials(ReceiverOptions options)
    {
        foreach (var gateway in options.Gateways)
        {
            _gateways[gateway.Id] = new Secret(gateway.Password, gateway.PasswordHash);
        }

        foreach (var account in options.PlatformAccounts)
        {
            _platforms[account.Username] = new Secret(account.Password, account.PasswordHash);
        }
    }

    /// <summary>The identity, or null with the reason (for the log; never containing the password).</summary>
    public ClientIdentity? Authenticate(string? clientId, string? username, string? password, out string reason)
    {
        reason = "";
        if (string.IsNullOrEmpty(username) || password is null)
        {
            reason = "no username or password (anonymous access is not allowed)";
            return null;
        }

        if (_gateways.TryGetValue(username, out var gatewaySecret))
        {
            if (!gatewaySecret.Matches(password))
            {
                reason = $"wrong password for gateway {username}";
                return null;
            }

            if (clientId != username)
            {
                reason = $"gateway {username} must connect with client id {username}, not '{clientId}'";
                return null;
            }

            return new ClientIdentity(ClientRole.Gateway, username);
        }

        if (_platforms.TryGetValue(username, out var platformSecret))
        {
            if (!platformSecret.Matches(password))
            {
                reason = $"wrong password for platform account {username}";
                return null;
            }

            if (clientId is null || !clientId.StartsWith(username, StringComparison.Ordinal))
            {
                reason = $"platform account {username} must use a client id starting with its username, not '{clientId}'";
                return null;
            }

            return new ClientIdentity(ClientRole.Platform, username);
        }

        reason = $"unknown username '{username}'";
        return null;
    }

    /// <summary>The role of a configured username, or null for an unknown one.</summary>
    public ClientRole? Role(string username) =>
        _gateways.ContainsKey(username) ? ClientRole.Gateway : _platforms.ContainsKey(username) ? ClientRole.Platform : null;

    private sealed class Secret(string? password, string? hash)
    {
        private readonly byte[]? _passwordDigest = password is { Length: > 0 } ? Digest(password) : null;

        public bool Matches(string candidate) =>
            _passwordDigest is not null
                ? CryptographicOperations.FixedTimeEquals(_passwordDigest, Digest(candidate))
                : hash is not null && PasswordHash.Verify(candidate, hash);

        // Comparing digests keeps the comparison constant-time whatever the lengths.
        private static byte[] Digest(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }
}
