namespace EdgeMeter.Receiver.Ingest.Guard;

/// <summary>
/// A logged-in client whose messages are quarantined more than a limit per minute (bad signatures, foreign topics,
/// junk) is flooding: it is told once, to be disconnected, and its logins are refused for a cool-down, so that one
/// broken or hostile gateway costs the store a bounded number of writes and the others keep their share.
/// </summary>
public sealed class FloodGuard(int quarantinedPerMinute, TimeSpan coolDown, TimeProvider time)
{
    public const int MaxTracked = 10_000;

    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _minutes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _coolingUntil = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>One more quarantined message from <paramref name="clientId"/>; true the moment it starts flooding.</summary>
    public bool Quarantined(string clientId)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_minutes.Count >= MaxTracked)
            {
                _minutes.Clear(); // a flood of distinct ids: start counting afresh rather than grow
            }

            var minute = _minutes.TryGetValue(clientId, out var current) && now - current.Start < TimeSpan.FromMinutes(1) ? current : (Start: now, Count: 0);
            _minutes[clientId] = (minute.Start, minute.Count + 1);
            if (minute.Count + 1 != quarantinedPerMinute + 1)
            {
                return false;
            }

            if (_coolingUntil.Count >= MaxTracked)
            {
                foreach (var over in _coolingUntil.Where(pair => pair.Value <= now).Select(pair => pair.Key).ToList())
                {
                    _coolingUntil.Remove(over);
                }
            }

            _coolingUntil[clientId] = now + coolDown;
            return true;
        }
    }

    /// <summary>Until when <paramref name="clientId"/> may not log in again; null: it may.</summary>
    public DateTimeOffset? CoolingUntil(string clientId)
    {
        lock (_lock)
        {
            return _coolingUntil.TryGetValue(clientId, out var until) && until > time.GetUtcNow() ? until : null;
        }
    }
}
