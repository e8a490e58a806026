using EdgeMeter.Receiver.Config;

namespace EdgeMeter.Receiver.Ingest.Guard;

public enum LoginVerdict
{
    /// <summary>Check the password as usual.</summary>
    Check,

    /// <summary>Check it, but answer only after <see cref="LoginThrottle.Tarpit"/>: this client id was guessed at.</summary>
    Slow,

    /// <summary>Refuse unchecked: this address guessed too often this minute.</summary>
    Refuse,
}

/// <summary>
/// Slows password guessing at the broker, per minute: an address with more than FailedLoginsPerAddress wrong passwords
/// is refused unchecked for the rest of its minute (no PBKDF2 spent on it); a client id with more than
/// FailedLoginsPerClient is answered only after a second, the right password included, so that guessing from many
/// addresses is slow while the real gateway, from its own address, still gets in. Bounded: at most
/// <see cref="MaxTracked"/> keys.
/// </summary>
public sealed class LoginThrottle(BrokerLimits limits, TimeProvider time)
{
    public const int MaxTracked = 10_000;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Tarpit = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, (DateTimeOffset Start, int Failures)> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public LoginVerdict Before(string clientId, string address)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            return Failures("ip:" + address, now) >= limits.FailedLoginsPerAddress ? LoginVerdict.Refuse
                : Failures("id:" + clientId, now) >= limits.FailedLoginsPerClient ? LoginVerdict.Slow
                : LoginVerdict.Check;
        }
    }

    public void Failed(string clientId, string address)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_windows.Count >= MaxTracked)
            {
                foreach (var old in _windows.Where(pair => now - pair.Value.Start >= Window).Select(pair => pair.Key).ToList())
                {
                    _windows.Remove(old);
                }
            }

            foreach (var key in new[] { "ip:" + address, "id:" + clientId })
            {
                var current = _windows.TryGetValue(key, out var window) && now - window.Start < Window ? window : (Start: now, Failures: 0);
                if (_windows.Count < MaxTracked || _windows.ContainsKey(key))
                {
                    _windows[key] = (current.Start, current.Failures + 1);
                }
            }
        }
    }

    private int Failures(string key, DateTimeOffset now) =>
        _windows.TryGetValue(key, out var window) && now - window.Start < Window ? window.Failures : 0;
}
