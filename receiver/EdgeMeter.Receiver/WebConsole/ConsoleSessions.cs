using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace EdgeMeter.Receiver.WebConsole;

/// <summary>
/// Signed-in browsers: a random session id in an HttpOnly, SameSite=Strict cookie, kept in memory (a restart signs
/// everyone out), each with its own CSRF token that every form that changes something must carry.
/// </summary>
public sealed class ConsoleSessions(TimeSpan lifetime, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);

    public ConsoleSession Start(ConsoleUser account)
    {
        var session = new ConsoleSession(NewToken(), account, NewToken(), time.GetUtcNow() + lifetime);
        foreach (var expired in _sessions.Values.Where(s => s.ExpiresAt <= time.GetUtcNow()))
        {
            _sessions.TryRemove(expired.Id, out _);
        }

        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The live session of a cookie value; an expired one is forgotten.</summary>
    public ConsoleSession? Find(string? id)
    {
        if (id is null || !_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        if (session.ExpiresAt > time.GetUtcNow())
        {
            return session;
        }

        _sessions.TryRemove(id, out _);
        return null;
    }

    public void End(string id) => _sessions.TryRemove(id, out _);

    public static string NewToken() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>Compares a submitted CSRF token with the expected one in constant time.</summary>
    public static bool SameToken(string? submitted, string expected) =>
        submitted is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(submitted), System.Text.Encoding.ASCII.GetBytes(expected));
}

/// <summary>A signed-in browser: the account as it was at sign-in (a changed or removed account ends it).</summary>
public sealed record ConsoleSession(string Id, ConsoleUser Account, string Csrf, DateTimeOffset ExpiresAt)
{
    public string User => Account.Name;

    public ConsoleRole Role => Account.Role;
}
