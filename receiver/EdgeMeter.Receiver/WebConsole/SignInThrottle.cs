namespace EdgeMeter.Receiver.WebConsole;

/// <summary>
/// Slows password guessing at the console's sign-in: after <see cref="MaxFailuresPerAddress"/> wrong passwords from one
/// address, or <see cref="MaxFailuresPerUser"/> for one user name, within <see cref="Window"/>, further attempts from
/// that address or for that name are refused until the oldest failure leaves the window. A correct password does not
/// lift the limit early: an attacker who guessed it must not learn so. Bounded: at most <see cref="MaxTracked"/> keys.
/// </summary>
internal sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailuresPerAddress = 20;
    public const int MaxFailuresPerUser = 5;
    public const int MaxTracked = 10_000;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>
    /// How long until <paramref name="address"/> may try <paramref name="user"/> again (null: now), and whether this is
    /// the first refusal of the current run of them (the one worth an audit line; the rest would only flood the log).
    /// </summary>
    public (TimeSpan? Wait, bool First) RetryAfter(string address, string user)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var wait = new[] { Wait("ip:" + address, MaxFailuresPerAddress, now), Wait("user:" + user, MaxFailuresPerUser, now) }.Max();
            var key = address + "\n" + user;
            if (wait is null)
            {
                _refused.Remove(key);
                return (null, false);
            }

            return (wait, _refused.Count < MaxTracked && _refused.Add(key));
        }
    }

    public void Failed(string address, string user)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_failures.Count >= MaxTracked)
            {
                Forget(now);
                _refused.Clear();
            }

            foreach (var key in new[] { "ip:" + address, "user:" + user })
            {
                if (!_failures.TryGetValue(key, out var times) && _failures.Count < MaxTracked)
                {
                    _failures[key] = times = new Queue<DateTimeOffset>();
                }

                times?.Enqueue(now);
            }
        }
    }

    private TimeSpan? Wait(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var times))
        {
            return null;
        }

        while (times.Count > 0 && now - times.Peek() >= Window)
        {
            times.Dequeue();
        }

        if (times.Count == 0)
        {
            _failures.Remove(key);
            return null;
        }

        // The limit-th failure from the end must leave the window before another attempt.
        return times.Count >= limit ? times.ElementAt(times.Count - limit) + Window - now : null;
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var key in _failures.Where(pair => pair.Value.Count == 0 || now - pair.Value.Last() >= Window).Select(pair => pair.Key).ToList())
        {
            _failures.Remove(key);
        }
    }
}
