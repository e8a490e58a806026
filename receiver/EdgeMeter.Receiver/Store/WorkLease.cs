namespace EdgeMeter.Receiver.Store;

/// <summary>
/// The right to do the store's background work: relay to the platform tiers, compute indicators, send queued commands,
/// delete old history. Receivers sharing one database hold it one at a time, so each tier is delivered by exactly one
/// receiver; a receiver alone holds it always. Background loops pass while it is held (<see cref="Hosting.WakeableLoop"/>)
/// and read their position from the database again each time it is taken (<see cref="Term"/>), since another receiver
/// may have moved it meanwhile.
/// </summary>
public abstract class WorkLease : IDisposable
{
    public abstract bool IsHeld { get; }

    /// <summary>Counts the times this receiver took the lease; 0 before the first.</summary>
    public abstract long Term { get; }

    /// <summary>Raised when this receiver takes the lease.</summary>
    public event Action? Taken;

    protected void OnTaken() => Taken?.Invoke();

    public virtual void Dispose()
    {
    }
}

/// <summary>The lease of a receiver that has its database to itself (SQLite): held from the start, for good.</summary>
internal sealed class SoleReceiverLease : WorkLease
{
    public override bool IsHeld => true;

    public override long Term => 1;
}
