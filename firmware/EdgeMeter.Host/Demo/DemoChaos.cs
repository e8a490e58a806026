namespace EdgeMeter.Host.Demo;

/// <summary>
/// The faults a chaos run injects at seeded random moments: kill -9 of a gateway (restarted seconds later), kill -9
/// of the receiver (which is also the broker: every gateway loses its connection; in a group, one of the receivers,
/// while Mosquitto and the other receivers go on), the national platform down for a
/// while, a meter that stops answering. Faults stop in the last quarter of the run so everything can recover. With
/// two or more simulated days, one gateway is also off for longer than a simulated day, from a quarter of the run:
/// on its return it reads the missed midnights back from its DL/T 645-2007 meters' daily freezes. Receivers in a
/// group are each killed once, in turn, at seeded moments in the first two thirds of the run (issue 21).
/// </summary>
internal sealed class DemoChaos(DemoRunner runner, Random random)
{
    private readonly List<(TimeSpan At, Func<CancellationToken, Task> Action)> _pending = [];
    private TimeSpan _next = TimeSpan.FromSeconds(3);
    private bool _longOutageDone;
    private Queue<(double At, int Receiver)>? _groupKills;

    /// <summary>The long outage: a day and two hours of simulated time.</summary>
    public static readonly TimeSpan LongOutage = TimeSpan.FromHours(26);

    public async Task StepAsync(TimeSpan elapsed, TimeSpan duration, CancellationToken cancel)
    {
        foreach (var due in _pending.Where(p => p.At <= elapsed).ToList())
        {
            _pending.Remove(due);
            await due.Action(cancel);
        }

        if (GroupKillDue(elapsed, duration) is { } index)
        {
            var receiver = runner.KillReceiver(index);
            runner.Say($"chaos: kill -9 {receiver.Name} (Mosquitto keeps its share; the others store on, and take the work lease if it held it)");
            Later(elapsed, 2 + random.Next(3), _ =>
            {
                runner.RestartReceiver(receiver);
                return Task.CompletedTask;
            });
            return;
        }

        // Only while the gateway runs, so no pending restart of an earlier kill can end the outage early.
        if (!_longOutageDone && runner.Calendar is { Days: >= 2 } calendar && elapsed >= duration * 0.25 && runner.Gateways[0].IsRunning)
        {
            _longOutageDone = true;
            var gateway = runner.Gateways[0];
            runner.Say($"chaos: {gateway.Name} off for {LongOutage.TotalHours:0} simulated hours (its meters' daily freezes fill the missed midnights; it reads no PLC or water meter in this run, which keep no freezes)");
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
                if (runner.KillReceiver() is { } receiver)
                {
                    runner.Say(runner.ReceiverGroup
                        ? $"chaos: kill -9 {receiver.Name} (Mosquitto keeps its share; the others store on, and take the work lease if it held it)"
                        : "chaos: kill -9 the receiver (its broker drops every gateway)");
                    Later(elapsed, 2 + random.Next(3), _ =>
                    {
                        runner.RestartReceiver(receiver);
                        return Task.CompletedTask;
                    });
                }

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

    // Receiver i of n dies once, somewhere in the i-th of n equal slices of the run's first two thirds.
    private int? GroupKillDue(TimeSpan elapsed, TimeSpan duration)
    {
        if (!runner.ReceiverGroup)
        {
            return null;
        }

        var count = runner.ReceiverCount;
        _groupKills ??= new Queue<(double, int)>(Enumerable.Range(0, count).Select(i => ((i + 0.2 + (0.6 * random.NextDouble())) * 2.0 / (3 * count), i)));
        return _groupKills.TryPeek(out var next) && elapsed >= duration * next.At ? _groupKills.Dequeue().Receiver : null;
    }

    private void Later(TimeSpan now, int seconds, Func<CancellationToken, Task> action) => _pending.Add((now + TimeSpan.FromSeconds(seconds), action));
}
