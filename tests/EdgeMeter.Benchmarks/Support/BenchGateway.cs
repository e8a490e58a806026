using System.Globalization;
using System.Text;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Crypto;
using EdgeMeter.Core.Links;
using EdgeMeter.Core.Polling;
using EdgeMeter.Core.Runtime;
using EdgeMeter.Core.Time;
using EdgeMeter.Core.Uplink;
using EdgeMeter.MeterSim.Serving;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.Benchmarks.Support;

/// <summary>What a <see cref="BenchGateway"/> polls: meters of each protocol on one bus, 8 points each.</summary>
public sealed record BenchGatewayOptions
{
    public int Dlt645Meters { get; init; } = 2;

    public int ModbusMeters { get; init; } = 2;

    public int PollSeconds { get; init; } = 60;

    public int MaxReadingsPerPacket { get; init; } = 40;

    public int MaxPacketBytes { get; init; } = 1024;

    public long BufferBudgetBytes { get; init; } = 160 * 1024;

    /// <summary>Schema of "up" payloads (upload.payloadVersion).</summary>
    public int PayloadVersion { get; init; } = 2;

    public int StatusIntervalSeconds { get; init; } = 60;

    /// <summary>RS-485 buses; meters are dealt to them in turn (all served by the same simulator).</summary>
    public int Buses { get; init; } = 1;

    /// <summary>Points per DL/T 645 meter: the first 8 or all 16 of <see cref="BenchGateway.Dlt645Points"/>.</summary>
    public int Dlt645PointsPerMeter { get; init; } = 8;

    /// <summary>The core's managed HMAC (what a board without a native one runs) instead of the platform's.</summary>
    public bool ManagedMac { get; init; }

    /// <summary>Told about every committed poll (what a console or trace would show).</summary>
    public IReadingObserver? Observer { get; init; }

    /// <summary>Let each meter's point settings go once its session is built, as a board does.</summary>
    public bool ReleaseMeterPoints { get; init; }
}

/// <summary>
/// The whole gateway core (<see cref="GatewayRuntime"/>: poller, recorder, flash buffer, uplink, signer) driven
/// synchronously on a manual clock against the meter simulator, with RAM flash and an acknowledging broker. Its
/// threads are never started: <see cref="RunCycle"/> does one poll cycle and drains the uplink on the caller's
/// thread, so CPU time and allocations can be measured exactly.
/// </summary>
public sealed class BenchGateway : IDisposable
{
    public static readonly DateTime Start = new(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Three-phase meter points, DL/T 645 scales: energy, reactive energy, two voltages, current, power, power factor,
    /// frequency; then 8 more for a 16-point meter.
    /// </summary>
    public static readonly (string Id, string Di)[] Dlt645Points =
    [
        ("energy", "00010000"), ("reactive", "00030000"), ("voltage-a", "02010100"), ("voltage-b", "02010200"),
        ("current-a", "02020100"), ("power", "02030000"), ("pf", "02060000"), ("frequency", "02800002"),
        ("reverse", "00020000"), ("reactive-2", "00040000"), ("voltage-c", "02010300"), ("current-b", "02020200"),
        ("current-c", "02020300"), ("reactive-power", "02040000"), ("apparent-power", "02050000"), ("temperature", "02800007"),
    ];

    /// <summary>The same quantities on an SDM630-style Modbus meter (input registers, float32): 4 block reads when coalesced.</summary>
    public static readonly (string Id, int Register, int Decimals, string Unit)[] ModbusPoints =
    [
        ("voltage-a", 0x0000, 1, "V"), ("voltage-b", 0x0002, 1, "V"), ("current-a", 0x0006, 3, "A"), ("power", 0x0034, 1, "W"),
        ("pf", 0x003E, 3, ""), ("frequency", 0x0046, 2, "Hz"), ("energy", 0x0048, 2, "kWh"), ("reactive", 0x004C, 2, "kvarh"),
    ];

    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private readonly SwitchableLink _link = new();
    private long _untilNextPoll;

    public BenchGateway(BenchGatewayOptions options)
    {
        Options = options;
        Clock = new ManualClock(Start);
        var meters = new List<MeterSpec>();
        for (var i = 1; i <= options.Dlt645Meters; i++)
        {
            meters.Add(MeterSpec.Parse("dlt645:" + Dlt645Address(i)));
        }

        for (var i = 1; i <= options.ModbusMeters; i++)
        {
            meters.Add(MeterSpec.Modbus(i));
        }

        Simulator = new MeterSimulator(new SimulatorOptions { Meters = meters, Clock = Clock, MeterClockErrors = false });
        SimulatorLink = new SimulatorLink(Simulator.OpenSession());
        _link.Inner = SimulatorLink;
        Config = ReadConfig(options);
        var platform = new BenchPlatform(Clock, options.ManagedMac ? new ManagedPacketMac() : new DotNetPacketMac(), BufferFlash, StateFlash, _link, Transport, Key);
        ConfiguredPoints = [.. Config.Meters.Select(m => m.Points)];
        Runtime = new GatewayRuntime(Config, platform, options.Observer, options.ReleaseMeterPoints);
        ReadingsPerCycle = (options.Dlt645Meters * options.Dlt645PointsPerMeter) + (options.ModbusMeters * ModbusPoints.Length);
    }

    public BenchGatewayOptions Options { get; }

    public ManualClock Clock { get; }

    public MeterSimulator Simulator { get; }

    public SimulatorLink SimulatorLink { get; }

    public GatewayConfig Config { get; }

    /// <summary>Each meter's point settings as read, kept here even where the runtime let the configuration's go.</summary>
    public PointSettings[][] ConfiguredPoints { get; }

    public RamFlash BufferFlash { get; } = new();

    public RamFlash StateFlash { get; } = new(256);

    public BenchTransport Transport { get; } = new();

    public GatewayRuntime Runtime { get; }

    public int ReadingsPerCycle { get; }

    /// <summary>Bus requests per poll cycle: one per DL/T 645 point, one per coalesced Modbus block.</summary>
    public int RequestsPerCycle => (Options.Dlt645Meters * Options.Dlt645PointsPerMeter) + (Options.ModbusMeters * 4);

    /// <summary>Waits (on the manual clock) for the next poll boundary, polls every due meter, then publishes until everything is acknowledged.</summary>
    public void RunCycle()
    {
        Poll();
        DrainUplink();
    }

    public void Poll()
    {
        Clock.Advance(_untilNextPoll);
        _untilNextPoll = long.MaxValue;
        for (var bus = 0; bus < Runtime.Buses.Count; bus++)
        {
            _untilNextPoll = Math.Min(_untilNextPoll, Runtime.Buses.GetPoller(bus).PollDue());
        }
    }

    /// <summary>
    /// Steps the uplink until a step publishes nothing more: everything due is then published and acknowledged (a
    /// partly filled packet of new readings waits for the upload interval, as on a device).
    /// </summary>
    public void DrainUplink()
    {
        var uplink = Runtime.Uplink;
        for (var i = 0; i < 10_000; i++)
        {
            var published = uplink.PacketsPublished;
            uplink.Step();
            if (uplink.PacketsPublished == published)
            {
                return;
            }
        }
    }

    /// <summary>Runs <paramref name="cycles"/> cycles against the simulator, recording them, then replays them from then on.</summary>
    public void RecordThenReplay(int cycles)
    {
        SimulatorLink.Recording = true;
        for (var i = 0; i < cycles; i++)
        {
            RunCycle();
        }

        SimulatorLink.Recording = false;
        _link.Inner = new ReplayLink(SimulatorLink.Exchanges);
    }

    public void Dispose()
    {
        Runtime.Dispose();
    }

    public static string Dlt645Address(int meter) => meter.ToString("000000000000", CultureInfo.InvariantCulture);

    private static GatewayConfig ReadConfig(BenchGatewayOptions options)
    {
        var json = ConfigJson(options);
        var bytes = Encoding.UTF8.GetBytes(json);
        return GatewayConfigReader.Read(bytes, bytes.Length, out var errors)
            ?? throw new InvalidOperationException("bench configuration is invalid: " + string.Join("; ", errors));
    }

    /// <summary>The configuration file a user would write for these meters (docs/config.md).</summary>
    public static string ConfigJson(BenchGatewayOptions options, string link = "tcp://127.0.0.1:4001")
    {
        var meters = new List<string>();
        for (var m = 1; m <= options.Dlt645Meters; m++)
        {
            var points = Dlt645Points.Take(options.Dlt645PointsPerMeter).Select(p => $$"""{ "id": "{{p.Id}}", "di": "{{p.Di}}" }""");
            meters.Add($$"""{ "id": "dlt-{{m}}", "bus": "bus{{1 + (m % options.Buses)}}", "protocol": "dlt645", "address": "{{Dlt645Address(m)}}", "pollSeconds": {{options.PollSeconds}}, "points": [{{string.Join(", ", points)}}] }""");
        }

        for (var m = 1; m <= options.ModbusMeters; m++)
        {
            var points = ModbusPoints.Select(p =>
                $$"""{ "id": "{{p.Id}}", "register": {{p.Register}}, "function": 4, "type": "float32", "decimals": {{p.Decimals}}, "unit": "{{(p.Unit.Length == 0 ? "1" : p.Unit)}}" }""");
            meters.Add($$"""{ "id": "mb-{{m}}", "bus": "bus{{1 + (m % options.Buses)}}", "protocol": "modbus", "unit": {{m}}, "pollSeconds": {{options.PollSeconds}}, "points": [{{string.Join(", ", points)}}] }""");
        }

        return $$"""
            {
              "schema": 1, "gatewayId": "gw-bench-01", "keyVersion": 1,
              "mqtt": { "host": "127.0.0.1" },
              "buses": [ {{string.Join(", ", Enumerable.Range(1, options.Buses).Select(b => $$"""{ "id": "bus{{b}}", "link": "{{link}}", "baud": 9600 }"""))}} ],
              "meters": [ {{string.Join(",\n    ", meters)}} ],
              "upload": { "intervalSeconds": 10, "maxReadingsPerPacket": {{options.MaxReadingsPerPacket}}, "maxPacketBytes": {{options.MaxPacketBytes}}, "payloadVersion": {{options.PayloadVersion}}, "statusIntervalSeconds": {{options.StatusIntervalSeconds}} },
              "buffer": { "budgetBytes": {{options.BufferBudgetBytes}} }
            }
            """;
    }

    private sealed class SwitchableLink : IMeterLink
    {
        public IMeterLink Inner { get; set; } = null!;

        public int BaudRate => Inner.BaudRate;

        public int BitsPerCharacter => Inner.BitsPerCharacter;

        public void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds) => Inner.Read(buffer, offset, count, timeoutMilliseconds);

        public void DiscardInput() => Inner.DiscardInput();
    }

    private sealed class BenchPlatform(
        IClock clock, IPacketMac mac, IFlashFileSystem bufferFiles, IFlashFileSystem stateFiles, IMeterLink link, IMqttTransport transport, byte[] key)
        : IGatewayPlatform
    {
        public IClock Clock => clock;

        public IPacketMac Mac => mac;

        public IFlashFileSystem BufferFiles => bufferFiles;

        public IFlashFileSystem StateFiles => stateFiles;

        public string FirmwareVersion => "bench";

        public long FreeMemory => -1;

        public byte[]? Key(int keyVersion) => key;

        public IMeterLink OpenBus(BusSettings bus) => link;

        public IBusActivity BusActivity => NoBusActivity.Instance;

        public IMqttTransport OpenMqtt(GatewayConfig config) => transport;

        public void RequestRestart(string reason)
        {
        }

        public string? StageConfig(byte[] json, int count) => "not supported on the bench";

        public string? UpdateFirmware(string url, string sha256, string signature) => "not supported on the bench";

        public string? SetClock(DateTime utc) => "not supported on the bench";
    }
}
