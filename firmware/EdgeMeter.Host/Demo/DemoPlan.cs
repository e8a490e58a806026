using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeMeter.Core.Protocol.Modbus;

namespace EdgeMeter.Host.Demo;

/// <summary>
/// Everything one demo run is made of, written to its directory: simulated meters for every gateway, the gateways'
/// configurations and keys, the receiver's configuration (credentials, key registry, routing, data items) and the
/// two platforms. Each enterprise's data items: every meter's energy and the whole plant's electricity (the sum of
/// its meters' energy), all consumption; the other points stay unmapped (GET /admin/unmapped lists them). Each gateway
/// also reads its boiler house's PLC over Modbus TCP (a second simulator, as a Modbus TCP server): steam (t), natural
/// gas (m3) and heat (GJ), and a CJ/T 188 water meter (m3) on its RS-485 line, each a consumption item with its
/// standard-coal factor. Gateways with an odd number belong to an enterprise in a province with a platform
/// (provincial + national); even ones to an enterprise whose province has none (national only).
/// </summary>
public sealed class DemoPlan
{
    public const string ProvincialEnterprise = "91530100MA6NXKB7X1";
    public const string NationalOnlyEnterprise = "91110108MA01B2C3D0";
    public const string PlatformReader = "svc.demo-platform";

    /// <summary>The whole plant's electricity: the same dataCode in both enterprises, as platforms assign it.</summary>
    public const string WholePlantDataCode = "000000000233000001";

    private static readonly (string Point, string Di, string Unit)[] DltPoints = [("energy", "00010000", "kWh"), ("voltage-a", "02010100", "V"), ("power", "02030000", "kW")];
    private static readonly (string Point, string Di, string Unit)[] Dlt1997Points = [("energy", "9010", "kWh"), ("voltage-a", "B611", "V")];
    private static readonly (string Point, int Register, int Decimals, string Unit)[] ModbusPoints = [("voltage-a", 0, 1, "V"), ("current-a", 6, 3, "A"), ("energy", 72, 2, "kWh")];

    /// <summary>The boiler PLC's totals (the simulator's process area, docs/simulator.md), each with its data code's
    /// class and energy type and a standard-coal factor in kgce per unit: the reference values of GB/T 2589-2020's
    /// appendix, as a platform would assign them (the energy types are placeholders for a platform's dictionary).</summary>
    private static readonly PlcPoint[] PlcPoints =
    [
        new("steam", 0x2002, 1, "t", "02", "3200", "128.6"),
        new("natural-gas", 0x200A, 0, "m3", "01", "1500", "1.2143"),
        new("heat", 0x200C, 2, "GJ", "02", "3100", "34.12"),
    ];

    /// <summary>The id of every gateway's boiler PLC meter; its unit on the PLC simulator is 100 + the gateway's number.</summary>
    public const string PlcMeter = "boiler";

    /// <summary>The id of every gateway's CJ/T 188 water meter, on the RS-485 line beside the electricity meters.</summary>
    public const string WaterMeter = "water";

    /// <summary>Fresh water (新水): energy-carrying medium, kgce per m3 (GB/T 2589-2020's reference value per tonne).</summary>
    private const string WaterConvertRation = "0.2571";

    /// <param name="longOutage">The chaos schedule takes gw-01 off for more than a day (DemoChaos): gw-01 then reads no PLC
    /// and no water meter, whose days across the outage no meter freeze could recover; the others still do.</param>
    public DemoPlan(string directory, int gateways, int metersPerGateway, DemoPorts ports, DemoCalendar? calendar = null, DemoGroup? group = null, bool longOutage = false)
    {
        _longOutage = longOutage;
        Directory = Path.GetFullPath(directory);
        Ports = ports;
        Calendar = calendar;
        Group = group;
        PlatformPassword = Secret(12);
        ReaderPassword = Secret(12);
        AdminToken = Secret(24);
        ConsolePassword = Secret(8);
        ProvincialSm4 = $"mode=cbc,key={Secret(16)},iv={Secret(16)},output=base64";
        PushSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        for (var g = 1; g <= gateways; g++)
        {
            Gateways.Add(new DemoGateway($"gw-{g:D2}", g % 2 == 1 ? ProvincialEnterprise : NationalOnlyEnterprise, RandomNumberGenerator.GetBytes(32), Secret(12), Meters(g, metersPerGateway)));
        }
    }

    private readonly bool _longOutage;

    public string Directory { get; }

    public DemoPorts Ports { get; }

    /// <summary>
    /// Null: one receiver on SQLite with its embedded broker at <see cref="DemoPorts.Broker"/>. Otherwise receivers in a
    /// group on PostgreSQL, sharing Mosquitto at <see cref="DemoPorts.Broker"/> (docs/receiver.md, "Receivers in a group").
    /// </summary>
    public DemoGroup? Group { get; }

    /// <summary>Every receiver: its name, configuration file and admin port (the first one's is <see cref="DemoPorts.Admin"/>).</summary>
    public IReadOnlyList<(string Name, string ConfigPath, int AdminPort)> Receivers =>
        Group is null
            ? [("receiver", ReceiverConfigPath, Ports.Admin)]
            : [.. Enumerable.Range(0, Group.Receivers).Select(i => ($"receiver-{Instance(i)}", Path.Combine(Directory, "receiver", $"receiver-{Instance(i)}.json"), i == 0 ? Ports.Admin : Group.AdminPorts[i - 1]))];

    public string MosquittoConfigPath => Path.Combine(Directory, "mosquitto.conf");

    /// <summary>The simulated days lived through, or null for a run in real time.</summary>
    public DemoCalendar? Calendar { get; }

    /// <summary>Polls every 5 simulated minutes when days are simulated (aligned to the clock), else every 2 s.</summary>
    public int PollSeconds => Calendar is null ? 2 : 300;

    /// <summary>The receiver's wall-clock limit for a value to become final (its default, 360, is a lot of demo time).</summary>
    public const int FinalAfterMinutes = 120;

    /// <summary>The data items, as the receiver is configured with them.</summary>
    public IReadOnlyList<DemoItem> Items =>
        [.. Gateways.SelectMany(MeterItems), .. Gateways.Where(ReadsProcessMeters).SelectMany(PlcItems), .. new[] { ProvincialEnterprise, NationalOnlyEnterprise }.Select(WholePlant).OfType<DemoItem>()];

    public List<DemoGateway> Gateways { get; } = [];

    public string PlatformPassword { get; }

    public string ReaderPassword { get; }

    public string AdminToken { get; }

    /// <summary>How the provincial platform wants the requestAK password protected (SM4-CBC, as the published interface does).</summary>
    public string ProvincialSm4 { get; }

    /// <summary>The provincial platform account's HS256 key for what it pushes to the enterprise.</summary>
    public string PushSecret { get; }

    /// <summary>The web console's demo account (an operator), written to console-account.txt.</summary>
    public const string ConsoleUser = "demo";

    public string ConsolePassword { get; }

    public string ConsoleAddress => $"http://127.0.0.1:{Ports.Admin}/console";

    public string ReceiverConfigPath => Path.Combine(Directory, "receiver", Group is null ? "receiver.json" : "receiver-a.json");

    public string ReceiverKeysPath => Path.Combine(Directory, "receiver", "keys.json");

    public string Link => $"tcp://127.0.0.1:{Ports.Meters}";

    /// <summary>The boiler houses' PLC: the second simulator, a Modbus TCP server.</summary>
    public string PlcLink => $"modbus-tcp://127.0.0.1:{Ports.Plc}";

    /// <summary>The units the PLC simulator serves, one per gateway.</summary>
    public IEnumerable<string> PlcSpecs => Gateways.Where(ReadsProcessMeters).Select(g => $"modbus:{PlcUnit(g)}");

    /// <summary>Whether a gateway reads the PLC and the water meter (all but a gateway taken off for a day).</summary>
    private bool ReadsProcessMeters(DemoGateway gateway) => !(_longOutage && GatewayNumber(gateway) == 1);

    public string GatewayDirectory(DemoGateway gateway) => Path.Combine(Directory, gateway.Id);

    public string ConfigPath(DemoGateway gateway) => Path.Combine(GatewayDirectory(gateway), "gateway.json");

    public string KeyPath(DemoGateway gateway) => Path.Combine(GatewayDirectory(gateway), "key.json");

    public string TracePath(DemoGateway gateway) => Path.Combine(GatewayDirectory(gateway), "trace.txt");

    public string DataPath(DemoGateway gateway) => Path.Combine(GatewayDirectory(gateway), "data");

    public IEnumerable<string> MeterSpecs => [.. Gateways.SelectMany(g => g.Meters).Select(m => m.Spec), .. Gateways.Where(ReadsProcessMeters).Select(g => $"cjt188-water:{WaterAddress(g)}")];

    private static string WaterAddress(DemoGateway gateway) => $"000000000000{GatewayNumber(gateway):D2}";

    /// <summary>Readings of these gateways go to the provincial platform too.</summary>
    public bool IsProvincial(string gatewayId) => Gateways.Single(g => g.Id == gatewayId).Enterprise == ProvincialEnterprise;

    public void Write()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "receiver"));
        var registry = new JsonObject { ["keys"] = new JsonArray(Gateways.Select(KeyEntry).ToArray()) };
        Save(ReceiverKeysPath, registry);
        for (var i = 0; i < Receivers.Count; i++)
        {
            Save(Receivers[i].ConfigPath, ReceiverConfig(i));
        }

        if (Group is not null)
        {
            // Anonymous on loopback, as the tests run it; the receivers' sessions hold everything while one is killed.
            File.WriteAllLines(MosquittoConfigPath, [
                $"listener {Ports.Broker} 127.0.0.1", "allow_anonymous true", "persistence false", "max_packet_size 34000",
                "max_queued_messages 1000000", "max_inflight_messages 100", "log_dest stdout"]);
        }

        foreach (var gateway in Gateways)
        {
            System.IO.Directory.CreateDirectory(GatewayDirectory(gateway));
            Save(KeyPath(gateway), new JsonObject { ["keys"] = new JsonArray(KeyEntry(gateway)) });
            Save(ConfigPath(gateway), GatewayConfig(gateway));
        }

        // Console.UsersFile as `edgemeter-receiver users add` writes it (docs/receiver.md, "Web console").
        Save(Path.Combine(Directory, "receiver", "users.json"), new JsonObject
        {
            ["users"] = new JsonArray(new JsonObject { ["name"] = ConsoleUser, ["role"] = "operator", ["passwordHash"] = Common.Crypto.PasswordHash.Create(ConsolePassword, 10_000) }),
        });
        File.WriteAllText(Path.Combine(Directory, "console-account.txt"),
            $"console: {ConsoleAddress}{Environment.NewLine}user: {ConsoleUser}{Environment.NewLine}password: {ConsolePassword}{Environment.NewLine}" +
            $"run the receiver again: edgemeter-receiver run --config {ReceiverConfigPath}{Environment.NewLine}");
        File.WriteAllText(Path.Combine(Directory, "platform-account.txt"),
            $"broker: 127.0.0.1:{Ports.Broker}{Environment.NewLine}username: {PlatformReader}{Environment.NewLine}password: {ReaderPassword}{Environment.NewLine}" +
            $"subscribe: mosquitto_sub -h 127.0.0.1 -p {Ports.Broker} -u {PlatformReader} -P {ReaderPassword} -i {PlatformReader}-1 -t 'edgemeter/v1/+/up' -v{Environment.NewLine}" +
            $"verify one: edgemeter verify --keys {ReceiverKeysPath} PACKET{Environment.NewLine}");
    }

    private static List<DemoMeter> Meters(int gateway, int count)
    {
        var meters = new List<DemoMeter>();
        for (var m = 0; m < count; m++)
        {
            var address = $"{gateway:D6}{m + 1:D6}";
            meters.Add((m % 3) switch
            {
                0 => new DemoMeter($"m{m + 1}", "dlt645", $"dlt645:{address}", address, 0),
                1 => new DemoMeter($"m{m + 1}", "modbus", $"modbus:{((gateway - 1) * count) + m + 1}", "", ((gateway - 1) * count) + m + 1),
                _ => new DemoMeter($"m{m + 1}", "dlt645-1997", $"dlt645-1997:{address}", address, 0),
            });
        }

        return meters;
    }

    private JsonObject GatewayConfig(DemoGateway gateway)
    {
        var buses = new JsonArray(new JsonObject { ["id"] = "bus1", ["link"] = Link });
        var meters = new JsonArray([.. gateway.Meters.Select(MeterConfig)]);
        if (ReadsProcessMeters(gateway))
        {
            buses.Add(new JsonObject { ["id"] = "plant", ["modbusTcp"] = $"127.0.0.1:{Ports.Plc}" });
            meters.Add(PlcConfig(gateway));
            meters.Add(WaterConfig(gateway));
        }

        return new JsonObject
        {
            ["schema"] = 1,
            ["gatewayId"] = gateway.Id,
            ["keyVersion"] = 1,
            ["mqtt"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = Ports.Broker, ["password"] = gateway.MqttPassword },
            ["buses"] = buses,
            ["meters"] = meters,
            ["upload"] = new JsonObject { ["intervalSeconds"] = 1, ["maxReadingsPerPacket"] = 20, ["statusIntervalSeconds"] = 10 },
        };
    }

    private JsonNode MeterConfig(DemoMeter meter)
    {
        var config = new JsonObject { ["id"] = meter.Id, ["bus"] = "bus1", ["protocol"] = meter.Protocol, ["pollSeconds"] = PollSeconds, ["timeoutMs"] = 500, ["retries"] = 1 };
        if (meter.Protocol == "modbus")
        {
            config["unit"] = meter.Unit;
            config["points"] = new JsonArray(ModbusPoints.Select(p => (JsonNode)new JsonObject
            {
                ["id"] = p.Point, ["register"] = p.Register, ["function"] = (int)ModbusFunction.ReadInputRegisters, ["type"] = ModbusNames.Of(ModbusDataType.Float32), ["decimals"] = p.Decimals, ["unit"] = p.Unit,
            }).ToArray());
        }
        else
        {
            config["address"] = meter.Address;
            var points = meter.Protocol == "dlt645" ? DltPoints : Dlt1997Points;
            config["points"] = new JsonArray(points.Select(p => (JsonNode)new JsonObject
            {
                ["id"] = p.Point, ["di"] = p.Di,
            }).ToArray());
        }

        return config;
    }

    private JsonNode PlcConfig(DemoGateway gateway) => new JsonObject
    {
        ["id"] = PlcMeter, ["bus"] = "plant", ["protocol"] = "modbus", ["unit"] = PlcUnit(gateway), ["pollSeconds"] = PollSeconds, ["timeoutMs"] = 500, ["retries"] = 1,
        ["points"] = new JsonArray(PlcPoints.Select(p => (JsonNode)new JsonObject
        {
            ["id"] = p.Point, ["register"] = p.Register, ["function"] = (int)ModbusFunction.ReadHoldingRegisters, ["type"] = ModbusNames.Of(ModbusDataType.UInt32), ["decimals"] = p.Decimals, ["unit"] = p.Unit,
        }).ToArray()),
    };

    private JsonNode WaterConfig(DemoGateway gateway) => new JsonObject
    {
        ["id"] = WaterMeter, ["bus"] = "bus1", ["protocol"] = "cjt188", ["meterType"] = "cold-water", ["address"] = WaterAddress(gateway),
        ["pollSeconds"] = PollSeconds, ["timeoutMs"] = 500, ["retries"] = 1,
        ["points"] = new JsonArray(new JsonObject { ["id"] = "water", ["field"] = "total", ["unit"] = "m3" }),
    };

    private static int PlcUnit(DemoGateway gateway) => 100 + int.Parse(gateway.Id[3..], System.Globalization.CultureInfo.InvariantCulture);

    private JsonObject ReceiverConfig(int instance)
    {
        var items = new JsonArray(Items.Select(item => (JsonNode)new JsonObject
        {
            ["DataCode"] = item.DataCode, ["Enterprise"] = item.Enterprise, ["Name"] = item.Name, ["Kind"] = item.Kind, ["Unit"] = item.Unit,
            ["ConvertRation"] = item.ConvertRation,
            ["Terms"] = new JsonArray(item.Terms.Select(t => (JsonNode)new JsonObject { ["Gateway"] = t.Gateway, ["Meter"] = t.Meter, ["Point"] = t.Point }).ToArray()),
        }).ToArray());

        return new JsonObject
        {
            ["MaxPacketBytes"] = 1024,
            ["Store"] = Group is null
                ? new JsonObject { ["Path"] = "receiver.db" }
                : new JsonObject { ["Database"] = "Postgres", ["ConnectionString"] = Group.ConnectionString },
            ["Keys"] = new JsonObject { ["File"] = "keys.json", ["ReloadSeconds"] = 5 },
            ["Ingest"] = Group is null
                ? new JsonObject { ["Mode"] = "Embedded", ["Embedded"] = new JsonObject { ["Address"] = "127.0.0.1", ["Port"] = Ports.Broker } }
                : new JsonObject
                {
                    ["Mode"] = "External",
                    ["External"] = new JsonObject
                    {
                        ["Host"] = "127.0.0.1", ["Port"] = Ports.Broker, ["ClientId"] = "svc.demo-receiver", ["SharedGroup"] = "receivers",
                        ["InstanceId"] = Instance(instance), ["ReconnectDelayMs"] = 200,
                    },
                },
            ["Enterprises"] = new JsonArray(
                new JsonObject { ["Code"] = ProvincialEnterprise, ["Name"] = "Demo steel works (province with a platform)", ["Platforms"] = new JsonArray("provincial", "national") },
                new JsonObject { ["Code"] = NationalOnlyEnterprise, ["Name"] = "Demo cement works (province without one)", ["Platforms"] = new JsonArray("national") }),
            ["Gateways"] = new JsonArray(Gateways.Select(g => (JsonNode)new JsonObject { ["Id"] = g.Id, ["Enterprise"] = g.Enterprise, ["Password"] = g.MqttPassword }).ToArray()),
            ["PlatformAccounts"] = new JsonArray(new JsonObject
            {
                ["Username"] = PlatformReader,
                ["Password"] = ReaderPassword,
                ["Push"] = new JsonObject { ["Platform"] = "provincial", ["Algorithm"] = "HS256", ["Secret"] = PushSecret },
            }),
            ["Platforms"] = new JsonArray(
                ProtectedPlatform("provincial", Ports.Provincial, ProvincialEnterprise, ProvincialSm4),
                Platform("national", Ports.National, ProvincialEnterprise, NationalOnlyEnterprise)),
            ["Items"] = items,
            ["Indicators"] = new JsonObject { ["FinalAfterMinutes"] = FinalAfterMinutes },
            ["Admin"] = new JsonObject
            {
                ["Urls"] = $"http://127.0.0.1:{Receivers[instance].AdminPort}",
                ["Tokens"] = new JsonArray(new JsonObject { ["Name"] = "demo", ["Token"] = AdminToken }),
                ["AuditLog"] = Group is null ? "audit.log" : $"audit-{Instance(instance)}.log",
            },
            ["Logging"] = new JsonObject { ["Level"] = "Warning" },
        };
    }

    // A platform that wants the requestAK password SM4-protected, with the simulator's spec.
    private JsonObject ProtectedPlatform(string name, int port, string enterprise, string sm4Spec)
    {
        var platform = Platform(name, port, enterprise);
        var sm4 = Common.Platform.Sm4PasswordOptions.Parse(sm4Spec);
        platform["Http"]!["PasswordProtection"] = new JsonObject { ["Mode"] = sm4.Mode.ToString(), ["Key"] = sm4.Key, ["Iv"] = sm4.Iv, ["Output"] = sm4.Output.ToString() };
        return platform;
    }

    private JsonObject Platform(string name, int port, params string[] enterprises)
    {
        var passwords = new JsonObject();
        foreach (var enterprise in enterprises)
        {
            passwords[enterprise] = PlatformPassword;
        }

        return new JsonObject
        {
            ["Name"] = name,
            ["Http"] = new JsonObject { ["BaseAddress"] = $"http://127.0.0.1:{port}/", ["EnterprisePasswords"] = passwords, ["CallTimeoutSeconds"] = 5 },
            ["Retry"] = new JsonObject { ["InitialDelayMs"] = 200, ["MaxDelayMs"] = 2000 },
        };
    }

    private static IEnumerable<DemoItem> MeterItems(DemoGateway gateway) =>
        gateway.Meters.Select(meter => new DemoItem(
            DataCode(gateway, meter, "energy"), gateway.Enterprise, $"{gateway.Id} {meter.Id} energy", "Consumption", "kWh",
            [new DemoTerm(gateway.Id, meter.Id, "energy")]));

    private static IEnumerable<DemoItem> PlcItems(DemoGateway gateway) =>
    [
        .. PlcPoints.Select((p, i) => new DemoItem(
            $"0000{GatewayNumber(gateway):D2}90{p.DataClass}{p.EnergyType}{i + 1:D4}", gateway.Enterprise, $"{gateway.Id} boiler {p.Point}", "Consumption", p.Unit,
            [new DemoTerm(gateway.Id, PlcMeter, p.Point)]) { ConvertRation = p.ConvertRation }),
        new DemoItem(
            $"0000{GatewayNumber(gateway):D2}910341000001", gateway.Enterprise, $"{gateway.Id} water", "Consumption", "m3",
            [new DemoTerm(gateway.Id, WaterMeter, "water")]) { ConvertRation = WaterConvertRation },
    ];

    private static int GatewayNumber(DemoGateway gateway) => int.Parse(gateway.Id[3..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The enterprise's electricity: every meter's energy, summed; null for an enterprise with no gateway.</summary>
    private DemoItem? WholePlant(string enterprise)
    {
        var terms = Gateways.Where(g => g.Enterprise == enterprise)
            .SelectMany(g => g.Meters.Select(m => new DemoTerm(g.Id, m.Id, "energy"))).ToList();
        return terms.Count == 0 ? null : new DemoItem(WholePlantDataCode, enterprise, "whole-plant electricity", "Consumption", "kWh", terms);
    }

    private static IEnumerable<string> PointsOf(DemoMeter meter) => meter.Protocol switch
    {
        "modbus" => ModbusPoints.Select(p => p.Point),
        "dlt645" => DltPoints.Select(p => p.Point),
        _ => Dlt1997Points.Select(p => p.Point),
    };

    /// <summary>An 18-digit data code: whole plant, equipment = gateway and meter, class 02 (electricity), point.</summary>
    private static string DataCode(DemoGateway gateway, DemoMeter meter, string point)
    {
        var g = int.Parse(gateway.Id[3..], System.Globalization.CultureInfo.InvariantCulture);
        var m = int.Parse(meter.Id[1..], System.Globalization.CultureInfo.InvariantCulture);
        var p = PointsOf(meter).ToList().IndexOf(point) + 1;
        return $"0000{g:D2}{m:D2}023300{p:D4}";
    }

    private static JsonNode KeyEntry(DemoGateway gateway) => new JsonObject
    {
        ["gatewayId"] = gateway.Id,
        ["keyVersion"] = 1,
        ["key"] = Convert.ToHexString(gateway.Key).ToLowerInvariant(),
    };

    private static void Save(string path, JsonNode node) =>
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    private static string Instance(int index) => ((char)('a' + index)).ToString();

    private static string Secret(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();
}

public sealed record DemoGateway(string Id, string Enterprise, byte[] Key, string MqttPassword, List<DemoMeter> Meters);

public sealed record DemoMeter(string Id, string Protocol, string Spec, string Address, int Unit);

/// <summary>A data item of the demo: Kind is the receiver's ItemKind name.</summary>
public sealed record DemoItem(string DataCode, string Enterprise, string Name, string Kind, string Unit, IReadOnlyList<DemoTerm> Terms)
{
    /// <summary>Standard coal per unit (kgce): electricity's equivalent value by default.</summary>
    public string ConvertRation { get; init; } = "0.1229";
}

/// <summary>A total the boiler PLC holds, and the data item it feeds.</summary>
internal sealed record PlcPoint(string Point, int Register, int Decimals, string Unit, string DataClass, string EnergyType, string ConvertRation);

public sealed record DemoTerm(string Gateway, string Meter, string Point);

/// <summary>Receivers in a group: how many, their database, and the admin ports of all but the first.</summary>
public sealed record DemoGroup(int Receivers, string ConnectionString, int[] AdminPorts);

public sealed record DemoPorts(int Meters, int Broker, int Admin, int Provincial, int National, int Plc)
{
    public static DemoPorts Pick()
    {
        var ports = Free(6);
        return new DemoPorts(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]);
    }

    /// <summary><paramref name="count"/> distinct loopback ports free at the moment.</summary>
    public static int[] Free(int count)
    {
        var ports = new int[count];
        var listeners = new List<System.Net.Sockets.TcpListener>();
        for (var i = 0; i < ports.Length; i++)
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            listeners.Add(listener);
            ports[i] = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
