using System.CommandLine;
using System.Globalization;
using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Links;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.MeterSim.Faults;
using EdgeMeter.MeterSim.Serving;
using EdgeMeter.Pc.Cli;
using EdgeMeter.Pc.Links;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.MeterSim.Cli;

/// <summary>
/// `edgemeter-meter-sim` (and `edgemeter sim`, the same command): serves simulated meters on a TCP port or a serial
/// device until Ctrl-C (or --duration). See docs/simulator.md for the meters, the register map, the DIs and the faults.
/// </summary>
public static class MeterSimVerb
{
    public const string MapDocument = "docs/simulator.md";

    public const string Description = "Serve simulated DL/T 645 and Modbus meters on a TCP port or a serial device.";

    /// <summary>The `sim` subcommand of `edgemeter`.</summary>
    public static Command Create(CliConsole console) => Configure(new Command("sim", Description), console);

    /// <summary>Adds the simulator's options and action to <paramref name="command"/> (a subcommand, or a program's root).</summary>
    public static Command Configure(Command command, CliConsole console)
    {
        var listen = new Option<string>("--listen") { Description = "Where to serve: tcp://127.0.0.1:4001 or serial:///dev/ttyUSB0?baud=9600&parity=none", Required = true };
        var meters = new Option<string[]>("--meter") { Description = "A meter to serve, repeatable: dlt645:ADDRESS12, dlt645-1997:ADDRESS12, modbus:UNIT (default: " + string.Join(", ", SimulatorOptions.DefaultMeters) + ")" };
        var faults = new Option<string[]>("--fault") { Description = "A fault to inject, repeatable: " + SimulatorFault.Syntax };
        var seed = new Option<int>("--seed") { Description = "Seed of the draws for faults that hit a fraction of requests", DefaultValueFactory = _ => 1 };
        var lineRate = new Option<int>("--line-rate") { Description = "Emulate a line of this baud rate (8E1): each reply waits its own transmission time" };
        var turnaround = new Option<int>("--turnaround") { Description = "Milliseconds each meter waits before replying" };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (default: run until Ctrl-C)" };
        var exactClocks = new Option<bool>("--exact-clocks") { Description = "DL/T 645 meter clocks start exact instead of up to 2 minutes off" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print one line per request" };

        command.Options.Add(listen);
        command.Options.Add(meters);
        command.Options.Add(faults);
        command.Options.Add(seed);
        command.Options.Add(lineRate);
        command.Options.Add(turnaround);
        command.Options.Add(duration);
        command.Options.Add(exactClocks);
        command.Options.Add(verbose);
        command.SetAction(async (parse, cancel) =>
        {
            var link = CliValues.Link(parse.GetValue(listen)!);
            var given = parse.GetValue(meters) ?? [];
            var specs = given.Length == 0 ? SimulatorOptions.DefaultMeters : given.Select(CliValues.Meter).ToList();
            var rate = parse.GetValue(lineRate);
            var turnaroundMs = parse.GetValue(turnaround);
            var seconds = parse.GetValue(duration);
            if (rate is < 0 or > 921_600 || (rate > 0 && rate < 300))
            {
                throw new CliException($"--line-rate {rate} must be a baud rate 300..921600 (or 0 for off)", ExitCodes.Usage);
            }

            if (turnaroundMs is < 0 or > 60_000)
            {
                throw new CliException($"--turnaround {turnaroundMs} must be 0..60000 ms", ExitCodes.Usage);
            }

            if (seconds is <= 0 or > 1e7)
            {
                throw new CliException($"--duration {seconds} must be a positive number of seconds", ExitCodes.Usage);
            }

            var output = TextWriter.Synchronized(console.Out);
            var options = new SimulatorOptions
            {
                Meters = specs,
                Faults = (parse.GetValue(faults) ?? []).Select(ParseFault).ToList(),
                Seed = parse.GetValue(seed),
                LineRateBaud = rate,
                TurnaroundMilliseconds = turnaroundMs,
                MeterClockErrors = !parse.GetValue(exactClocks),
                Log = parse.GetValue(verbose) ? output.WriteLine : null,
            };

            MeterSimulator simulator;
            try
            {
                simulator = new MeterSimulator(options);
            }
            catch (ArgumentException failure)
            {
                throw new CliException(failure.Message.Split(" (Parameter")[0], ExitCodes.Usage);
            }

            using var host = SimulatorHost.Start(simulator, link);
            var failed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            host.Problem += problem => failed.TrySetResult(problem);
            PrintBanner(output, host);

            // Runs until Ctrl-C (a normal way to stop), the duration, or the line failing (a serial port unplugged).
            var ends = Task.Delay(seconds is { } s ? TimeSpan.FromSeconds(s) : Timeout.InfiniteTimeSpan, cancel);
            await Task.WhenAny(ends, failed.Task);
            output.WriteLine($"stopped after {simulator.RequestsAnswered} request(s)");
            return failed.Task.IsCompleted ? throw new CliException(failed.Task.Result) : ExitCodes.Ok;
        });
        return command;
    }

    private static SimulatorFault ParseFault(string text)
    {
        try
        {
            return SimulatorFault.Parse(text);
        }
        catch (FormatException failure)
        {
            throw new CliException(failure.Message, ExitCodes.Usage);
        }
    }

    private static void PrintBanner(TextWriter output, SimulatorHost host)
    {
        var simulator = host.Simulator;
        var options = simulator.Options;
        output.WriteLine($"meter simulator: serving {simulator.Meters.Count} meter(s) on {host.Link}");
        var width = simulator.Meters.Max(m => m.ToString().Length);
        var modbusTcp = host.Link.Kind == LinkKind.ModbusTcp;
        foreach (var meter in simulator.Meters)
        {
            var protocol = modbusTcp && meter.IsModbus ? "Modbus TCP" : meter.ProtocolName;
            var what = modbusTcp && !meter.IsModbus ? "not reachable: a Modbus TCP server carries Modbus only" : Describe(simulator, meter);
            output.WriteLine($"  {meter.ToString().PadRight(width)}  {protocol,-13}  {what}");
        }

        foreach (var version in new[] { Dlt645Version.V2007, Dlt645Version.V1997 })
        {
            var count = simulator.Meters.Count(m => m.IsDlt645 && m.Dlt645Version == version);
            if (count > 1)
            {
                output.WriteLine($"  note: {count} DL/T 645-{(version == Dlt645Version.V1997 ? "1997" : "2007")} meters: their replies to read-address collide, as on a real bus");
            }
        }

        output.WriteLine(options.Faults.Count == 0 ? "faults: none" : $"faults: {string.Join("; ", options.Faults)} (seed {options.Seed})");
        if (options.LineRateBaud > 0 || options.TurnaroundMilliseconds > 0)
        {
            output.WriteLine($"line: {(options.LineRateBaud > 0 ? $"{options.LineRateBaud} baud 8E1 emulated" : "no line-rate emulation")}, turnaround {options.TurnaroundMilliseconds} ms");
        }

        output.WriteLine($"register map, DIs and faults: {MapDocument}");
        output.WriteLine("press Ctrl-C to stop");
    }

    private static string Describe(MeterSimulator simulator, MeterSpec meter)
    {
        if (meter.IsCjt188)
        {
            return meter.Protocol == MeterProtocol.Cjt188Heat
                ? "current data 901FH: heat (GJ), power, flow, volume, supply and return temperatures"
                : "current data 901FH: total and settlement-day total (m3)";
        }

        if (!meter.IsDlt645)
        {
            return "SDM630 input registers (function 04, float32) + EdgeMeter holding registers (function 03)";
        }

        var dlt = simulator.Dlt645Meter(meter);
        var items = Enumerable.Range(0, Dlt645Catalogue.Count).Count(i => Dlt645Catalogue.Get(i).Version == meter.Dlt645Version);
        var clock = dlt.ClockError == TimeSpan.Zero
            ? "clock exact"
            : $"clock {dlt.ClockError.TotalSeconds.ToString("+0;-0", CultureInfo.InvariantCulture)} s off";
        return $"{items} data identifiers, {clock}";
    }
}
