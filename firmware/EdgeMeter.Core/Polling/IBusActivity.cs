namespace EdgeMeter.Core.Polling;

/// <summary>
/// Hears each meter transaction as it ends (every attempt, retries included), on the bus's polling thread: the
/// board flashes its bus-activity LED. Must return at once.
/// </summary>
public interface IBusActivity
{
    /// <summary>The meter answered: with the value, or with an error reply of its own.</summary>
    void Answered();

    /// <summary>Nothing usable came back: a timeout, a broken frame or a bad checksum.</summary>
    void Failed();
}

/// <summary>For platforms with nothing to show bus activity on.</summary>
public sealed class NoBusActivity : IBusActivity
{
    public static readonly NoBusActivity Instance = new NoBusActivity();

    public void Answered()
    {
    }

    public void Failed()
    {
    }
}
