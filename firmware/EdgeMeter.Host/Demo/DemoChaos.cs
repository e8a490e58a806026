namespace EdgeMeter.Host.Demo;

/// <summary>
/// The faults a chaos run injects at seeded random moments: kill -9 of a gateway (restarted seconds later), kill -9
/// of the receiver (which is also the broker: every gateway loses its connection), the national platform down for a
/// while, a meter that stops answering. Faults stop in the last quarter of the run so everything can recover. With
/// two or more simulated days, one gateway is also off for longer than a simulated day, from a quarter of the run:
/// on its return it reads the missed midnights back from its DL/T 645-2007 meters' daily freezes.
/// </summary>
internal sealed class DemoChaos(DemoRunner runner, Random random)
{
    private readonly List<(TimeSpan At, Func<CancellationToken, Task> Action)> _pending = [];
    private TimeSpan _next = TimeSpan.FromSeconds(3);
    private bool _longOutageDone;

    /// <summary>The long outage: a day and two hours of simulated time.</summary>
    public static readonly TimeSpan LongOutage = TimeSpan.FromHours(26);

    public async Task StepAsync(TimeSpan elapsed, TimeSpan duration, CancellationToken cancel)
    {
        foreach (var due in _pending.Where(p => p.At <= elapsed).ToList())
        {
            _pending.Remove(due);
            await due.Action(cancel);
        }

        // Only while the gateway runs, so no pending restart of an earlier kill can end the outage early.
        if (!_longOutageDone && runner.Calendar is { Days: >= 2 } calendar && elapsed >= duration * 0.25 && runner.Gateways[0].IsRunning)
        {
            _longOutageDone = true;
            var gateway = runner.Gateways[0];
            runner.Say($"chaos: {gateway.Name} off for {LongOutage.TotalHours:0} simulated hours (its meters' daily freezes fill the missed midnights)");
            gateway.Kill();
            runner.CountRestart("long_outages");
            Later(elapsed, (int)Math.Ceiling(calendar.Clock.RealDuration(LongOutage).TotalSeconds), _ =>
            {
                runner.RestartGateway(gateway);
                return Task.CompletedTask;
            });
            return;
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
