namespace EdgeMeter.Receiver.Hosting;

/// <summary>
/// A background loop: runs a pass, then sleeps as long as the pass asks (zero: run again at once) or until
/// <see cref="Wake"/> says there is new work. Wakes between passes collapse into one. Used by the relay tiers and the
/// command service.
/// </summary>
public sealed class WakeableLoop(Func<CancellationToken, Task<TimeSpan>> pass) : IAsyncDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

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
        await StopAsync();
        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var wait = await pass(stop);
            if (wait > TimeSpan.Zero)
            {
                await _wake.WaitAsync(wait, stop);
            }
        }
    }
}
