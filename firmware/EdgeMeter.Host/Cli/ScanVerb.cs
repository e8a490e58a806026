using System.CommandLine;
using System.Globalization;
using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Pc.Cli;
using EdgeMeter.Pc.Links;
using EdgeMeter.Pc.Meters;
using EdgeMeter.Pc.Time;
using Spectre.Console;

namespace EdgeMeter.Host.Cli;

/// <summary>
/// `edgemeter scan`: which meters answer on a bus. DL/T 645 meters are found with "read address" (2007: function
/// 13; 1997: DI C032) to the wildcard address, which only works with one meter of an edition on the bus; Modbus
/// units are probed one by one, and any valid reply, an exception included, means the unit is there. On a serial
/// link every baud rate is tried; a TCP link is scanned once. Progress bars on a terminal, plain lines otherwise.
/// </summary>
public static class ScanVerb
{
    public const int DefaultModbusTimeoutMilliseconds = 200;
    public const int DefaultDlt645TimeoutMilliseconds = 1000;

    public static Command Create(CliConsole console)
    {
        var link = new Option<string>("--link") { Description = "The bus: serial:///dev/ttyUSB0?parity=even or tcp://HOST:PORT", Required = true };
        var protocol = new Option<string>("--protocol") { Description = "dlt645, modbus, cjt188 or all", DefaultValueFactory = _ => "all" };
        var units = new Option<string>("--units") { Description = "Modbus units to probe: 1-247, or a list like 1,2,10-20", DefaultValueFactory = _ => "1-247" };
        var bauds = new Option<string>("--bauds") { Description = "Serial links: baud rates to try", DefaultValueFactory = _ => "1200,2400,4800,9600" };
        var timeout = new Option<int>("--timeout-ms") { Description = "Modbus: how long each unit gets to answer", DefaultValueFactory = _ => DefaultModbusTimeoutMilliseconds };
        var dltTimeout = new Option<int>("--dlt645-timeout-ms") { Description = "DL/T 645: how long a read-address request waits", DefaultValueFactory = _ => DefaultDlt645TimeoutMilliseconds };
        var function = new Option<int>("--function") { Description = "Modbus: probe with function 3 (holding) or 4 (input) on register 0", DefaultValueFactory = _ => 3 };

        var command = new Command("scan", "Find the meters on a bus: DL/T 645 by read-address, Modbus by unit id.")
        {
            link, protocol, units, bauds, timeout, dltTimeout, function,
        };
        command.SetAction(parse =>
        {
            var plan = new ScanPlan(
                CliValues.Link(parse.GetValue(link)!),
                parse.GetValue(protocol) switch
                {
                    "all" => (true, true, true),
                    "dlt645" => (true, false, false),
                    "modbus" => (false, true, false),
                    "cjt188" => (false, false, true),
                    var other => throw new CliException($"--protocol '{other}' must be dlt645, modbus, cjt188 or all", ExitCodes.Usage),
                },
                CliValues.Ranges(parse.GetValue(units)!, "Modbus unit", MeterSpec.MinModbusUnit, MeterSpec.MaxModbusUnit),
                CliValues.Ranges(parse.GetValue(bauds)!, "baud rate", 300, 921_600),
                CheckTimeout(parse.GetValue(timeout), "--timeout-ms"),
                CheckTimeout(parse.GetValue(dltTimeout), "--dlt645-timeout-ms"),
                parse.GetValue(function) switch
                {
                    3 => ModbusFunction.ReadHoldingRegisters,
                    4 => ModbusFunction.ReadInputRegisters,
                    var other => throw new CliException($"--function {other} must be 3 or 4", ExitCodes.Usage),
                });
            if (plan.Link.Kind == LinkKind.ModbusTcp && !plan.Protocols.Modbus)
            {
                throw new CliException($"{plan.Link} is a Modbus TCP server: it carries Modbus only, not DL/T 645", ExitCodes.Usage);
            }

            return Scan(console, plan);
        });
        return command;
    }

    private static int Scan(CliConsole console, ScanPlan plan)
    {
        var serial = plan.Link.Kind == LinkKind.Serial;
        var links = serial ? plan.Bauds.Select(plan.Link.WithBaud).ToList() : [plan.Link];
        console.Out.WriteLine(plan.Link.Kind switch
        {
            LinkKind.Tcp => $"scanning {plan.Link} (a TCP link: the baud rate is the serial server's business, so one pass)",
            LinkKind.ModbusTcp => $"scanning {plan.Link} (a Modbus TCP server: Modbus units only, one pass)",
            _ => $"scanning {plan.Link.Target} at {string.Join(", ", plan.Bauds)} baud",
        });

        var found = new List<Found>();
        ScanProgress.Run(console, progress =>
        {
            foreach (var link in links)
            {
                var baud = serial ? link.Baud.ToString(CultureInfo.InvariantCulture) : "-";
                using var recorder = new FailureRecordingLink(MeterLinks.Open(link));
                if (plan.Protocols.Dlt645 && link.Kind != LinkKind.ModbusTcp)
                {
                    ScanDlt645(recorder, link, baud, plan, progress, found);
                }

                if (plan.Protocols.Cjt188 && link.Kind != LinkKind.ModbusTcp)
                {
                    ScanCjt188(recorder, link, baud, plan, progress, found);
                }

                if (plan.Protocols.Modbus)
                {
                    ScanModbus(recorder, link, baud, plan, progress, found);
                }
            }
        });

        if (found.Count == 0)
        {
            throw new CliException($"no meter answered on {plan.Link}");
        }

        PrintTable(console, found);
        return ExitCodes.Ok;
    }

    private static void ScanDlt645(FailureRecordingLink link, LinkAddress address, string baud, ScanPlan plan, ScanProgress progress, List<Found> found)
    {
        var master = new Dlt645Master(link, SystemClock.Instance) { TimeoutMilliseconds = plan.Dlt645TimeoutMilliseconds };
        foreach (var version in new[] { Dlt645Version.V2007, Dlt645Version.V1997 })
        {
            var edition = version == Dlt645Version.V1997 ? "DL/T 645-1997" : "DL/T 645-2007";
            progress.Step($"{edition} read address{At(baud)}", 0, 1);
            master.Version = version;
            var status = master.ReadAddress(out var meterAddress);
            progress.Step($"{edition} read address{At(baud)}", 1, 1);
            switch (status)
            {
                case ReadStatus.Ok:
                    Report(progress, found, new Found(MeterSpec.Dlt645(meterAddress, version), baud, "read address"));
                    break;
                case ReadStatus.BadChecksum:
                case ReadStatus.Malformed:
                    Report(progress, found, new Found(null, baud, $"{edition}: garbled reply to read address: several meters answering at once? Read them by address"));
                    break;
                case ReadStatus.ErrorReply:
                    Report(progress, found, new Found(null, baud, $"{edition}: a meter refused read address ({MeterFailures.Describe(master.LastError)})"));
                    break;
                case ReadStatus.LinkDown:
                    throw new CliException(link.LastFailure ?? $"{address}: the link failed");
            }
        }
    }

    private static void ScanCjt188(FailureRecordingLink link, LinkAddress address, string baud, ScanPlan plan, ScanProgress progress, List<Found> found)
    {
        var master = new Cjt188Master(link, SystemClock.Instance) { TimeoutMilliseconds = plan.Dlt645TimeoutMilliseconds };
        progress.Step($"CJ/T 188 read address{At(baud)}", 0, 1);
        var status = master.ReadAddress(out var type, out var meterAddress);
        progress.Step($"CJ/T 188 read address{At(baud)}", 1, 1);
        switch (status)
        {
            case ReadStatus.Ok:
                var kind = Cjt188MeterType.IsHeat(type) ? MeterProtocol.Cjt188Heat : Cjt188MeterType.Family(type) == 3 ? MeterProtocol.Cjt188Gas : MeterProtocol.Cjt188Water;
                Report(progress, found, new Found(MeterSpec.Cjt188(kind, meterAddress), baud, $"read address, type {Cjt188MeterType.NameOf(type)}"));
                break;
            case ReadStatus.BadChecksum:
            case ReadStatus.Malformed:
                Report(progress, found, new Found(null, baud, "CJ/T 188: garbled reply to read address: several meters answering at once? Read them by address"));
                break;
            case ReadStatus.LinkDown:
                throw new CliException(link.LastFailure ?? $"{address}: the link failed");
        }
    }

    private static void ScanModbus(FailureRecordingLink link, LinkAddress address, string baud, ScanPlan plan, ScanProgress progress, List<Found> found)
    {
        var master = MeterLinks.ModbusMaster(address, link, SystemClock.Instance);
        master.ResponseTimeoutMilliseconds = plan.ModbusTimeoutMilliseconds;
        var registers = new ushort[1];
        var label = $"Modbus units {Describe(plan.Units)}{At(baud)}";
        for (var i = 0; i < plan.Units.Count; i++)
        {
            var unit = (byte)plan.Units[i];
            progress.Step(label, i, plan.Units.Count);
            var status = plan.Function == ModbusFunction.ReadInputRegisters
                ? master.ReadInputRegisters(unit, 0, 1, registers)
                : master.ReadHoldingRegisters(unit, 0, 1, registers);
            switch (status)
            {
                case ReadStatus.Ok:
                    Report(progress, found, new Found(MeterSpec.Modbus(unit), baud, $"register 0 = {registers[0]}"));
                    break;
                case ReadStatus.ErrorReply:
                    Report(progress, found, new Found(MeterSpec.Modbus(unit), baud, $"exception {(int)master.LastException:D2}, {MeterFailures.Describe(master.LastException)}"));
                    break;
                case ReadStatus.BadChecksum:
                case ReadStatus.Malformed:
                    Report(progress, found, new Found(null, baud, $"unit {unit}: a reply with a {(status == ReadStatus.BadChecksum ? "bad CRC" : "wrong layout")} (noise, or the wrong baud or parity?)"));
                    break;
                case ReadStatus.LinkDown:
                    throw new CliException(link.LastFailure ?? $"{address}: the link failed");
            }
        }

        progress.Step(label, plan.Units.Count, plan.Units.Count);
    }

    private static void Report(ScanProgress progress, List<Found> found, Found item)
    {
        found.Add(item);
        progress.Line(item.Meter == null ? $"  note: {item.Note}" : $"  found {item.Meter} ({item.Note})");
    }

    private static void PrintTable(CliConsole console, List<Found> found)
    {
        var meters = found.Where(f => f.Meter != null).ToList();
        var notes = found.Where(f => f.Meter == null).ToList();
        console.Out.WriteLine($"{meters.Count} meter(s) found{(notes.Count > 0 ? $", {notes.Count} note(s)" : string.Empty)}:");
        var rows = found.Select(f => new[] { f.Meter?.ProtocolName ?? "?", f.Meter?.ToString() ?? "-", f.Baud, f.Note }).ToList();
        string[] header = ["PROTOCOL", "METER", "BAUD", "NOTE"];
        if (ScanProgress.IsTerminal(console))
        {
            var table = new Table().AddColumns(header);
            foreach (var row in rows)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            ScanProgress.Ansi(console).Write(table);
            return;
        }

        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            console.Out.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string At(string baud) => baud == "-" ? string.Empty : $" at {baud} baud";

    private static string Describe(IReadOnlyList<int> units) =>
        units.Count == units[^1] - units[0] + 1 ? $"{units[0]}-{units[^1]}" : $"({units.Count} units)";

    private static int CheckTimeout(int milliseconds, string option) => milliseconds is >= 1 and <= 60_000
        ? milliseconds
        : throw new CliException($"{option} {milliseconds} must be 1..60000", ExitCodes.Usage);

    private sealed record ScanPlan(
        LinkAddress Link,
        (bool Dlt645, bool Modbus, bool Cjt188) Protocols,
        IReadOnlyList<int> Units,
        IReadOnlyList<int> Bauds,
        int ModbusTimeoutMilliseconds,
        int Dlt645TimeoutMilliseconds,
        ModbusFunction Function);

    private sealed record Found(MeterSpec? Meter, string Baud, string Note);

    /// <summary>
    /// Progress as Spectre.Console bars when the output is a terminal (finds show in the table at the end);
    /// otherwise one plain line per stage and per find, so logs and tests read well.
    /// </summary>
    private sealed class ScanProgress(CliConsole console, ProgressContext? bars)
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];
        private string? _stage;

        public static bool IsTerminal(CliConsole console) => ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected;

        public static IAnsiConsole Ansi(CliConsole console) =>
            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Out) });

        /// <summary>Runs the scan with bars on a terminal, plainly otherwise.</summary>
        public static void Run(CliConsole console, Action<ScanProgress> scan)
        {
            if (!IsTerminal(console))
            {
                scan(new ScanProgress(console, null));
                return;
            }

            Ansi(console).Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .Start(context => scan(new ScanProgress(console, context)));
        }

        public void Step(string stage, int done, int total)
        {
            if (bars != null)
            {
                if (!_tasks.TryGetValue(stage, out var task))
                {
                    task = bars.AddTask(Markup.Escape(stage), maxValue: total);
                    _tasks.Add(stage, task);
                }

                task.Value = done;
                return;
            }

            if (stage != _stage)
            {
                _stage = stage;
                console.Out.WriteLine($"{stage}...");
            }
        }

        public void Line(string text)
        {
            if (bars == null)
            {
                console.Out.WriteLine(text);
            }
        }
    }
}
