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
    private volatile Accounts _accounts;

    public BrokerCredentials(ReceiverOptions options) => _accounts = new Accounts(options);

    /// <summary>Gateway accounts now configured.</summary>
    public int GatewayCount => _accounts.Gateways.Count;

    /// <summary>
    /// Takes the accounts of a newly read configuration (gateways imported while running); connected clients stay.
    /// </summary>
    public void Replace(ReceiverOptions options) => _accounts = new Accounts(options);

    /// <summary>The identity, or null with the reason (for the log; never containing the password).</summary>
    public ClientIdentity? Authenticate(string? clientId, string? username, string? password, out string reason)
    {
        reason = "";
        if (string.IsNullOrEmpty(username) || password is null)
        {
            reason = "no username or password (anonymous access is not allowed)";
            return null;
        }

        var accounts = _accounts;
        if (accounts.Gateways.TryGetValue(username, out var gatewaySecret))
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

        if (accounts.Platforms.TryGetValue(username, out var platformSecret))
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
    public ClientRole? Role(string username)
    {
        var accounts = _accounts;
        return accounts.Gateways.ContainsKey(username) ? ClientRole.Gateway : accounts.Platforms.ContainsKey(username) ? ClientRole.Platform : null;
    }

    /// <summary>One configuration's accounts, swapped whole so a login never sees half of a reload.</summary>
    private sealed class Accounts
    {
        public Accounts(ReceiverOptions options)
        {
            foreach (var gateway in options.Gateways)
            {
                Gateways[gateway.Id] = new Secret(gateway.Password, gateway.PasswordHash);
            }

            foreach (var account in options.PlatformAccounts)
            {
                Platforms[account.Username] = new Secret(account.Password, account.PasswordHash);
            }
        }

        public Dictionary<string, Secret> Gateways { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Secret> Platforms { get; } = new(StringComparer.Ordinal);
    }

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
