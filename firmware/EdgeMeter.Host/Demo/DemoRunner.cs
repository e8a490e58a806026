using System.Diagnostics;
using System.Net.Http.Json;
using EdgeMeter.Common.Postgres;
using Spectre.Console;

namespace EdgeMeter.Host.Demo;

/// <summary>
/// Runs the whole chain on loopback as separate processes: simulated meters, the gateways, the receiver with its
/// embedded broker, a provincial and a national platform. With chaos it kills and restarts gateways and the
/// receiver, takes a platform down, silences meters, and checks that nothing was lost or stored twice.
/// </summary>
public sealed class DemoRunner(DemoOptions options, TextWriter output) : IDisposable
{
    private static readonly TimeSpan DrainPatience = TimeSpan.FromSeconds(90);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<DemoProcess> _processes = [];
    private readonly Random _random = new(options.Seed);
    private DemoPlan _plan = null!;
    private DemoProbe _probe = null!;
    private DemoProcess _meters = null!;
    private readonly List<DemoProcess> _receivers = [];
    private LocalPostgresCluster? _postgres;
    private readonly List<DemoProcess> _gateways = [];
    private Dictionary<string, string>? _clock;
    private readonly Dictionary<string, long> _restarts = new() { ["gateways"] = 0, ["receiver"] = 0, ["meters_silenced"] = 0, ["platform_outages"] = 0, ["long_outages"] = 0 };

    public async Task<DemoFigures> RunAsync(CancellationToken cancel)
    {
        var calendar = options.SimulatedDays > 0 ? DemoCalendar.Plan(options.SimulatedDays, options.DurationSeconds, DateTime.UtcNow) : null;
        _clock = calendar is null ? null : new Dictionary<string, string> { [Common.Time.SimulatedTime.Variable] = calendar.Clock.ToString() };
        _plan = new DemoPlan(options.Directory, options.Gateways, options.MetersPerGateway, DemoPorts.Pick(), calendar, Group(),
            longOutage: options.Chaos && calendar is { Days: >= 2 });
        _plan.Write();
        _probe = new DemoProbe(_plan, _http);
        StartServices();
        if (_plan.Group is not null)
        {
            await WaitForReceiversSubscribedAsync(cancel);
        }

        StartGateways();
        await WaitForPlatformsAsync(cancel);
        Say($"demo in {_plan.Directory}: {options.Gateways} gateways x {options.MetersPerGateway} meters, " + (_plan.Group is { } group
            ? $"{group.Receivers} receivers on PostgreSQL (127.0.0.1:{_postgres!.Port}) sharing Mosquitto on 127.0.0.1:{_plan.Ports.Broker}"
            : $"receiver broker on 127.0.0.1:{_plan.Ports.Broker}") + (options.Chaos ? ", chaos on" : ""));
        if (calendar is not null)
        {
            Say($"living through {calendar.Days} simulated day(s) from {calendar.FirstDayUtc.AddHours(8):yyyy-MM-dd} (Beijing) at {calendar.Clock.Speed}x: every process runs on the same simulated clock");
        }

        if (calendar is not null)
        {
            await WaitForFirstReadingsAsync(calendar, cancel);
        }

        var stopwatch = Stopwatch.StartNew();
        var chaos = options.Chaos ? new DemoChaos(this, _random) : null;
        await ShowProgressAsync(stopwatch, chaos, cancel);
        if (chaos is not null)
        {
            await chaos.FinishAsync(cancel);
        }

        Say("the provincial platform pushes a signed message; waiting for its gateways to show it");
        var (pushExpected, pushShown) = await new DemoPush(_plan, _http).RunAsync(cancel);
        Say("stopping the gateways (their buffers drain first) and waiting for the receiver to have every reading");
        foreach (var gateway in _gateways)
        {
            gateway.Stop(TimeSpan.FromSeconds(20));
        }

        await DrainAsync(cancel);
        if (calendar is not null)
        {
            Say("waiting for the last values to become final and reach the platforms");
            await SettleAsync(calendar, cancel);
        }

        var figures = await _probe.FiguresAsync(_restarts, cancel);
        figures = figures with { PushExpected = pushExpected, PushShown = pushShown };
        if (!options.Hold)
        {
            _receivers.ForEach(receiver => receiver.Stop(TimeSpan.FromSeconds(20)));
        }

        return figures;
    }

    internal DemoPlan Plan => _plan;

    /// <summary>After the check (--hold): the gateways poll and publish again; Dispose stops everything.</summary>
    public void Resume()
    {
        foreach (var gateway in _gateways)
        {
            gateway.Start();
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _postgres?.Dispose();
        _http.Dispose();
    }

    internal IReadOnlyList<DemoProcess> Gateways => _gateways;

    internal DemoCalendar? Calendar => _plan.Calendar;

    internal void CountRestart(string kind) => _restarts[kind] = _restarts.GetValueOrDefault(kind) + 1;

    internal void RestartGateway(DemoProcess gateway)
    {
        gateway.Start();
        _restarts["gateways"]++;
    }

    internal int ReceiverCount => _receivers.Count;

    /// <summary>Kills receiver <paramref name="index"/> (of a group).</summary>
    internal DemoProcess KillReceiver(int index)
    {
        _receivers[index].Kill();
        return _receivers[index];
    }

    /// <summary>Kills a receiver that runs (in a group, one of those running, at random); which, or null when none runs.</summary>
    internal DemoProcess? KillReceiver()
    {
        var running = _receivers.Where(receiver => receiver.IsRunning).ToList();
        if (running.Count == 0)
        {
            return null;
        }

        var victim = running[_random.Next(running.Count)];
        victim.Kill();
        return victim;
    }

    // A group's receiver may be due twice (a random kill, then its turn): it runs once.
    internal void RestartReceiver(DemoProcess receiver)
    {
        if (!receiver.IsRunning)
        {
            receiver.Start();
            _restarts["receiver"]++;
        }
    }

    internal bool ReceiverGroup => _plan.Group is not null;

    internal void SilenceMeter(string spec)
    {
        _meters.Kill();
        _meters = Replace(_meters, MeterArguments($"no-reply@{spec}"));
        _meters.Start();
        _restarts["meters_silenced"]++;
    }

    internal void WakeMeters()
    {
        _meters.Kill();
        _meters = Replace(_meters, MeterArguments(null));
        _meters.Start();
    }

    internal string RandomMeterSpec() => _plan.Gateways[_random.Next(_plan.Gateways.Count)].Meters[0].Spec;

    internal async Task PlatformDownAsync(bool down, CancellationToken cancel)
    {
        var port = _plan.Ports.National;
        using var response = await _http.PostAsJsonAsync($"http://127.0.0.1:{port}/_sim/faults", new { down }, cancel);
        if (down)
        {
            _restarts["platform_outages"]++;
        }
    }

    internal void Say(string message)
    {
        if (!options.Json)
        {
            output.WriteLine(message);
        }
    }

    // Everything but the gateways: a group's broker drops what arrives before any receiver's session subscribed.
    private void StartServices()
    {
        var dir = _plan.Directory;
        _meters = Add(new DemoProcess("meters", "edgemeter-meter-sim.dll", MeterArguments(null), Path.Combine(dir, "meters.log"), _clock));
        var plc = Add(new DemoProcess("plc", "edgemeter-meter-sim.dll", ["--listen", _plan.PlcLink, .. _plan.PlcSpecs.SelectMany(s => new[] { "--meter", s })], Path.Combine(dir, "plc.log"), _clock));
        Add(new DemoProcess("provincial", "edgemeter-platform-sim.dll", [.. PlatformArguments("provincial", _plan.Ports.Provincial, DemoPlan.ProvincialEnterprise), "--password-sm4", _plan.ProvincialSm4], Path.Combine(dir, "provincial.log"))).Start();
        Add(new DemoProcess("national", "edgemeter-platform-sim.dll", PlatformArguments("national", _plan.Ports.National, DemoPlan.ProvincialEnterprise, DemoPlan.NationalOnlyEnterprise), Path.Combine(dir, "national.log"))).Start();
        if (_plan.Group is not null)
        {
            _postgres = LocalPostgresCluster.Start(Path.Combine(dir, "postgres"), _postgresPort, "edgemeter");
            Add(new DemoProcess("mosquitto", "", ["-c", _plan.MosquittoConfigPath], Path.Combine(dir, "mosquitto.out"), executable: Mosquitto)).Start();
        }

        foreach (var (name, config, _) in _plan.Receivers)
        {
            _receivers.Add(Add(new DemoProcess(name, "edgemeter-receiver.dll", ["run", "--config", config], Path.Combine(dir, "receiver", name + ".log"), _clock)));
        }

        _meters.Start();
        plc.Start();
        _receivers.ForEach(receiver => receiver.Start());
    }

    private void StartGateways()
    {
        foreach (var gateway in _plan.Gateways)
        {
            var process = Add(new DemoProcess(gateway.Id, "edgemeter.dll",
            [
                "gateway", "--config", _plan.ConfigPath(gateway), "--keys", _plan.KeyPath(gateway), "--data", _plan.DataPath(gateway),
                "--trace", _plan.TracePath(gateway), "--log-every", "5",
            ], Path.Combine(_plan.GatewayDirectory(gateway), "gateway.log"), _clock));
            process.Start();
            _gateways.Add(process);
        }
    }

    /// <summary>Debian's Mosquitto, the broker a receiver group shares.</summary>
    public const string Mosquitto = "/usr/sbin/mosquitto";

    private int _postgresPort;

    // Receivers in a group: their database's port is chosen now, so that the plan can name it.
    private DemoGroup? Group()
    {
        if (options.Receivers <= 1 && !options.Postgres)
        {
            return null;
        }

        var ports = DemoPorts.Free(options.Receivers);
        _postgresPort = ports[0];
        return new DemoGroup(options.Receivers, $"Host=127.0.0.1;Port={_postgresPort};Username=edgemeter;Database=postgres", ports[1..]);
    }

    private List<string> MeterArguments(string? fault)
    {
        var arguments = new List<string> { "--listen", _plan.Link, "--exact-clocks" };
        foreach (var spec in _plan.MeterSpecs)
        {
            arguments.Add("--meter");
            arguments.Add(spec);
        }

        if (fault is not null)
        {
            arguments.Add("--fault");
            arguments.Add(fault);
        }

        return arguments;
    }

    private List<string> PlatformArguments(string name, int port, params string[] enterprises)
    {
        var arguments = new List<string> { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--name", name, "--store", Path.Combine(_plan.Directory, name + "-records.jsonl") };
        foreach (var enterprise in enterprises)
        {
            arguments.Add("--enterprise");
            arguments.Add($"{enterprise}={_plan.PlatformPassword}");
        }

        return arguments;
    }

    private DemoProcess Add(DemoProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private DemoProcess Replace(DemoProcess old, List<string> arguments)
    {
        var fresh = new DemoProcess(old.Name, "edgemeter-meter-sim.dll", arguments, Path.Combine(_plan.Directory, "meters.log"), _clock);
        old.Dispose();
        _processes.Remove(old);
        return Add(fresh);
    }

    // Once a receiver's admin API answers, its ingest has started; connected means subscribed (edgemeter_broker_connects_total).
    private async Task WaitForReceiversSubscribedAsync(CancellationToken cancel)
    {
        foreach (var (name, _, adminPort) in _plan.Receivers)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var metrics = await _http.GetStringAsync($"http://127.0.0.1:{adminPort}/metrics", cancel);
                    if (metrics.Split('\n').Any(line => line.StartsWith("edgemeter_broker_connects_total ", StringComparison.Ordinal) && !line.EndsWith(" 0", StringComparison.Ordinal)))
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (attempt < 600)
                {
                }

                if (attempt >= 600)
                {
                    throw new InvalidOperationException($"{name} did not subscribe to Mosquitto within 60 s (see its log in {_plan.Directory}/receiver)");
                }

                await Task.Delay(100, cancel);
            }
        }
    }

    private async Task WaitForPlatformsAsync(CancellationToken cancel)
    {
        foreach (var port in new[] { _plan.Ports.Provincial, _plan.Ports.National })
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await _probe.StatsAsync(port, cancel);
                    break;
                }
                catch (HttpRequestException) when (attempt < 100)
                {
                    await Task.Delay(100, cancel);
                }
            }
        }
    }

    private async Task ShowProgressAsync(Stopwatch stopwatch, DemoChaos? chaos, CancellationToken cancel)
    {
        var duration = TimeSpan.FromSeconds(options.DurationSeconds);
        var interactive = !options.Json && !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
        var progress = new DemoProgress(_probe, _plan);
        if (interactive)
        {
            await AnsiConsole.Live(progress.Render()).StartAsync(async context =>
            {
                while (!IsOver(stopwatch, duration) && !cancel.IsCancellationRequested)
                {
                    await Step(chaos, stopwatch, cancel);
                    context.UpdateTarget(await progress.UpdateAsync(stopwatch.Elapsed, cancel));
                }
            });
            return;
        }

        var nextLine = TimeSpan.Zero;
        while (!IsOver(stopwatch, duration) && !cancel.IsCancellationRequested)
        {
            await Step(chaos, stopwatch, cancel);
            if (stopwatch.Elapsed >= nextLine)
            {
                await progress.UpdateAsync(stopwatch.Elapsed, cancel);
                Say(progress.Line(stopwatch.Elapsed));
                nextLine = stopwatch.Elapsed + TimeSpan.FromSeconds(5);
            }
        }
    }

    /// <summary>
    /// The simulated clock stands still until its epoch, so every gateway can start and read its meters at the same
    /// simulated moment; the run (and the chaos schedule) starts there. A machine too slow for the allowance is named,
    /// since the first day then lacks its start.
    /// </summary>
    private async Task WaitForFirstReadingsAsync(DemoCalendar calendar, CancellationToken cancel)
    {
        var wait = calendar.Clock.EpochUtc - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancel);
        }

        if (!_plan.Gateways.All(g => _probe.Taken().Values.Any(r => r.Gateway == g.Id)))
        {
            Say($"warning: not every gateway had read its meters within {DemoCalendar.StartAllowance.TotalSeconds} s of starting; the first simulated day may be incomplete");
        }
    }

    /// <summary>Over when the simulated days are lived through, or, in real time, after the duration.</summary>
    private bool IsOver(Stopwatch stopwatch, TimeSpan duration) => _plan.Calendar?.IsOver ?? stopwatch.Elapsed >= duration;

    /// <summary>
    /// Waits until the receiver's wall-clock limit has made every value final (simulated time), then until the
    /// platforms' records stop changing (uploads and corrections sent) for a few seconds.
    /// </summary>
    private async Task SettleAsync(DemoCalendar calendar, CancellationToken cancel)
    {
        var allFinal = calendar.EndUtc.AddMinutes(DemoPlan.FinalAfterMinutes + 15);
        var deadline = Stopwatch.StartNew();
        while (calendar.Clock.UtcNow < allFinal && deadline.Elapsed < DrainPatience)
        {
            await Task.Delay(500, cancel);
        }

        var (last, steady) = (-1L, 0);
        while (deadline.Elapsed < DrainPatience && steady < 4)
        {
            var count = 0L;
            foreach (var port in new[] { _plan.Ports.Provincial, _plan.Ports.National })
            {
                count += (long)(await _probe.StatsAsync(port, cancel))["accepted"]!;
            }

            steady = count == last && count > 0 ? steady + 1 : 0;
            last = count;
            await Task.Delay(1000, cancel);
        }
    }

    private async Task Step(DemoChaos? chaos, Stopwatch stopwatch, CancellationToken cancel)
    {
        await Task.Delay(500, cancel);
        if (chaos is not null)
        {
            await chaos.StepAsync(stopwatch.Elapsed, TimeSpan.FromSeconds(options.DurationSeconds), cancel);
        }
    }

    private async Task DrainAsync(CancellationToken cancel)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < DrainPatience)
        {
            if (await _probe.LostAsync(cancel) == 0)
            {
                return;
            }

            await Task.Delay(1000, cancel);
        }
    }
}

/// <param name="Postgres">The receivers store into a private PostgreSQL cluster (needs Debian's postgresql and mosquitto).</param>
/// <param name="Receivers">Receivers in a group on that database, sharing Mosquitto; 1 with SQLite.</param>
public sealed record DemoOptions(
    string Directory, int DurationSeconds, int Gateways, int MetersPerGateway, bool Json, bool Chaos, int Seed, int SimulatedDays = 0, bool Hold = false,
    bool Postgres = false, int Receivers = 1);
