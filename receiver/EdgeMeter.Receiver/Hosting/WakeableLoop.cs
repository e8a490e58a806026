using EdgeMeter.Receiver.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeMeter.Receiver.Hosting;

/// <summary>
/// A background loop: runs a pass, then sleeps as long as the pass asks (zero: run again at once) or until
/// <see cref="Wake"/> says there is new work. Wakes between passes collapse into one. Used by the relay tiers and the
/// command service. Waits run on <paramref name="time"/>, so a simulated clock speeds them up too. A pass that throws
/// is logged and tried again after <see cref="RetryAfterFailure"/>: one bad row must not stop the loop for good.
/// With a <see cref="WorkLease"/>, passes run only while this receiver holds it, and <paramref name="resume"/> runs
/// before the first pass of each new term (another receiver may have moved the work on meanwhile).
/// </summary>
public sealed class WakeableLoop(
    Func<CancellationToken, Task<TimeSpan>> pass, TimeProvider? time = null, ILogger? log = null, WorkLease? lease = null, Action? resume = null) : IAsyncDisposable
{
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);

    /// <summary>How often a loop without the lease looks again (taking it also wakes the loop at once).</summary>
    public static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private long _term;

    /// <summary>Starts the loop; what its owner loaded before counts as the current term's start.</summary>
    public void Start()
    {
        if (lease is not null)
        {
            _term = lease.Term;
            lease.Taken += Wake;
        }

        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>New work: run the next pass now instead of after the wait.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake.
            }
        }
    }

    /// <summary>Cancels the pass under way (its work is picked up again after the next start) and waits for it to end.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (lease is not null)
        {
            lease.Taken -= Wake;
        }

        await StopAsync();
        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                if (!MayPass())
                {
                    // Real time even on a simulated clock: looking for the lease is not work that time speeds up.
                    await _wake.WaitAsync(LeaseWait, stop);
                    continue;
                }

                wait = await pass(stop);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                (log ?? NullLogger.Instance).LogError(failure, "a background pass failed; trying again in {Seconds} s", RetryAfterFailure.TotalSeconds);
                wait = RetryAfterFailure;
            }

            if (wait > TimeSpan.Zero)
            {
                await WaitAsync(wait, stop);
            }
        }
    }

    private bool MayPass()
    {
        if (lease is null)
        {
            return true;
        }

        if (!lease.IsHeld)
        {
            return false;
        }

        if (lease.Term != _term)
        {
            resume?.Invoke();
            _term = lease.Term;
        }

        return true;
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stop)
    {
        if (_time == TimeProvider.System)
        {
            await _wake.WaitAsync(wait, stop);
            return;
        }

        // The delay on the given clock; a wake ends it early. Cancelling the semaphore wait leaves its count alone.
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var woken = _wake.WaitAsync(either.Token);
        await Task.WhenAny(woken, Task.Delay(wait, _time, either.Token));
        await either.CancelAsync();
        try
        {
            await woken;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // The delay ended first.
        }
    }
}
