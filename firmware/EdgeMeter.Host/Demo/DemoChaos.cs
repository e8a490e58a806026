namespace EdgeMeter.Host.Demo;

/// <summary>
/// The faults a chaos run injects at seeded random moments: kill -9 of a gateway (restarted seconds later), kill -9
/// of the receiver (which is also the broker: every gateway loses its connection), the national platform down for a
/// while, a meter that stops answering. Faults stop in the last quarter of the run so everything can recover.
/// </summary>
internal sealed class DemoChaos(DemoRunner runner, Random random)
{
    private readonly List<(TimeSpan At, Func<CancellationToken, Task> Action)> _pending = [];
    private TimeSpan _next = TimeSpan.FromSeconds(3);

    public async Task StepAsync(TimeSpan elapsed, TimeSpan duration, CancellationToken cancel)
    {
        foreach (var due in _pending.Where(p => p.At <= elapsed).ToList())
        {
            _pending.Remove(due);
            await due.Action(cancel);
        }

        if (elapsed < _next || elapsed > duration * 0.75)
        {
            return;
        }

        _next = elapsed + TimeSpan.FromSeconds(2 + random.Next(4));
        switch (random.Next(4))
        {
            case 0:
                var gateway = runner.Gateways[random.Next(runner.Gateways.Count)];
                if (gateway.IsRunning)
                {
                    runner.Say($"chaos: kill -9 {gateway.Name}");
                    gateway.Kill();
                    Later(elapsed, 1 + random.Next(3), _ =>
                    {
                        runner.RestartGateway(gateway);
                        return Task.CompletedTask;
                    });
                }

                break;
            case 1:
                runner.Say("chaos: kill -9 the receiver (its broker drops every gateway)");
                runner.KillReceiver();
                Later(elapsed, 2 + random.Next(3), _ =>
                {
                    runner.RestartReceiver();
                    return Task.CompletedTask;
                });
                break;
            case 2:
                runner.Say("chaos: the national platform goes down");
                await runner.PlatformDownAsync(true, cancel);
                Later(elapsed, 3 + random.Next(5), c => runner.PlatformDownAsync(false, c));
                break;
            default:
                var spec = runner.RandomMeterSpec();
                runner.Say($"chaos: meter {spec} stops answering");
                runner.SilenceMeter(spec);
                Later(elapsed, 3 + random.Next(4), _ =>
                {
                    runner.WakeMeters();
                    return Task.CompletedTask;
                });
                break;
        }
    }

    /// <summary>Undoes every fault still in force: processes restarted, platform up, meters answering.</summary>
    public async Task FinishAsync(CancellationToken cancel)
    {
        foreach (var pending in _pending.ToList())
        {
            await pending.Action(cancel);
        }

        _pending.Clear();
    }

    private void Later(TimeSpan now, int seconds, Func<CancellationToken, Task> action) => _pending.Add((now + TimeSpan.FromSeconds(seconds), action));
}
