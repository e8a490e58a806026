using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Keys;
using EdgeMeter.Core.Buffer;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Polling;
using EdgeMeter.Host.Tests.Support;
using EdgeMeter.MeterSim.Faults;
using EdgeMeter.MeterSim.Serving;
using EdgeMeter.Pc.Meters;

namespace EdgeMeter.Host.Tests.Gateway;

/// <summary>Simulated meters, a broker and what a gateway needs on disk; readings checked end to end.</summary>
internal sealed class GatewayRig : IReadingObserver, IAsyncDisposable
{
    public static readonly byte[] Key = Enumerable.Range(0x10, 32).Select(i => (byte)i).ToArray();

    /// <param name="modbusTcp">Adds a second bus, a Modbus TCP server (a second simulator) with meter m-plc, unit 5.</param>
    /// <param name="cjt188">Adds a CJ/T 188 water meter (m-water) and heat meter (m-heat) to the RS-485 line.</param>
    public GatewayRig(string? faults = null, bool modbusTcp = false, bool cjt188 = false)
    {
        Directory = Path.Combine(Path.GetTempPath(), "edgemeter-gw-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        _cjt188 = cjt188;
        var meters = cjt188 ? [.. SimulatorOptions.DefaultMeters, MeterSpec.Parse(WaterMeter), MeterSpec.Parse(HeatMeter)] : SimulatorOptions.DefaultMeters;
        var options = new SimulatorOptions { Meters = meters, Faults = faults is null ? [] : [SimulatorFault.Parse(faults)] };
        Simulator = SimulatorHost.StartTcp(new MeterSimulator(options));
        if (modbusTcp)
        {
            ModbusTcpServer = SimulatorHost.StartTcp(new MeterSimulator(new SimulatorOptions { Meters = [MeterSpec.Modbus(5)] }), modbusTcp: true);
        }

        Broker = new TestBroker();
        File.WriteAllText(KeysPath, $$"""{"keys":[{"gatewayId":"gw-test","keyVersion":1,"key":"{{Convert.ToHexString(Key)}}"}]}""");
        File.WriteAllText(ConfigPath, ConfigJson(Broker.Port));
    }

    public const string WaterMeter = "cjt188-water:00002020120218";
    public const string HeatMeter = "cjt188-heat:00312718241912";

    private readonly bool _cjt188;

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "gateway.json");

    public string KeysPath => Path.Combine(Directory, "keys.json");

    public string DataPath => Path.Combine(Directory, "data");

    public SimulatorHost Simulator { get; }

    public SimulatorHost? ModbusTcpServer { get; }

    public TestBroker Broker { get; }

    /// <summary>Readings the gateway committed to its buffer (via the observer), by their sequence number.</summary>
    public ConcurrentDictionary<long, string> Taken { get; } = new();

    public GatewayConfig Config
    {
        get
        {
            var bytes = File.ReadAllBytes(ConfigPath);
            return GatewayConfigReader.Read(bytes, bytes.Length, out _)!;
        }
    }

    public KeyRegistry Keys => KeyRegistry.Load(KeysPath);

    public string ConfigJson(int brokerPort) => $$$"""
        {"schema":1,"gatewayId":"gw-test","keyVersion":1,
         "mqtt":{"host":"127.0.0.1","port":{{{brokerPort}}}},
         "buses":[{"id":"bus1","link":"{{{Simulator.Link}}}"}{{{TcpBus}}}],
         "meters":[
           {"id":"m-2007","bus":"bus1","protocol":"dlt645","address":"123456789012","pollSeconds":1,"timeoutMs":300,
            "points":[{"id":"energy","di":"00010000"},{"id":"voltage","di":"02010100"}]},
           {"id":"m-1997","bus":"bus1","protocol":"dlt645-1997","address":"000000001997","pollSeconds":1,"timeoutMs":300,
            "points":[{"id":"energy","di":"9010"}]},
           {"id":"m-modbus","bus":"bus1","protocol":"modbus","unit":1,"pollSeconds":1,"timeoutMs":300,
            "points":[{"id":"voltage","register":0,"function":4,"type":"float32","decimals":1,"unit":"V"},
                      {"id":"energy","register":72,"function":4,"type":"float32","decimals":2,"unit":"kWh"}]}{{{TcpMeter}}}{{{Cjt188Meters}}}],
         "upload":{"intervalSeconds":1,"maxReadingsPerPacket":20,"statusIntervalSeconds":10}}
        """;

    private string TcpBus => ModbusTcpServer == null ? "" : $$""",{"id":"plant","modbusTcp":"127.0.0.1:{{ModbusTcpServer.Link.Port}}"}""";

    private string TcpMeter => ModbusTcpServer == null ? "" :
        """
        ,{"id":"m-plc","bus":"plant","protocol":"modbus","unit":5,"pollSeconds":1,"timeoutMs":300,
          "points":[{"id":"voltage","register":0,"function":4,"type":"float32","decimals":1,"unit":"V"},
                    {"id":"energy","register":4096,"function":3,"type":"uint32","decimals":2,"unit":"kWh"}]}
        """;

    private string Cjt188Meters => !_cjt188 ? "" :
        """
        ,{"id":"m-water","bus":"bus1","protocol":"cjt188","meterType":"cold-water","address":"00002020120218","pollSeconds":1,"timeoutMs":500,
          "points":[{"id":"water","field":"total","unit":"m3"},{"id":"water-month-start","field":"settlement-total","unit":"m3"}]}
        ,{"id":"m-heat","bus":"bus1","protocol":"cjt188","meterType":"heat","diOrder":"1F90","address":"00312718241912","pollSeconds":1,"timeoutMs":500,
          "points":[{"id":"heat","field":"heat","unit":"GJ"},{"id":"supply","field":"supply-temperature","unit":"degC"},{"id":"wrong-unit","field":"volume","unit":"L"}]}
        """;

    public void Committed(EdgeMeter.Core.Buffer.Reading[] readings, int count)
    {
        var config = Config;
        for (var i = 0; i < count; i++)
        {
            Taken[readings[i].Sequence] = Describe(config.Meters[readings[i].Meter].Id, config.Meters[readings[i].Meter].Points[readings[i].Point].Id, readings[i].Time, readings[i].Value.ToString());
        }
    }

    /// <summary>Every reading in every up packet the broker acknowledged, verified with the gateway's key, in arrival order.</summary>
    public List<(long N, string Text)> Delivered()
    {
        var verifier = new PacketVerifier(new SingleKeyStore(Key), new DotNetPacketMac(), 65536);
        var readings = new List<(long, string)>();
        foreach (var message in Broker.On("/up"))
        {
            var bytes = message.Payload.ToArray();
            Assert.Equal(PacketError.None, verifier.Verify(bytes, 0, bytes.Length, "gw-test", PacketKind.Up, DateTime.UtcNow));
            var reading = new EdgeMeter.Core.Messages.PacketReading();
            for (var i = 0; i < verifier.Packet.ReadingCount; i++)
            {
                verifier.Packet.GetReading(i, reading);
                readings.Add((reading.Sequence, Describe(reading.MeterId, reading.PointId, reading.TimeUtc, reading.Value.ToString())));
            }
        }

        return readings;
    }

    public static string Describe(string meter, string point, DateTime time, string value) => $"{meter} {point} {time:yyyy-MM-ddTHH:mm:ssZ} {value}";

    public async ValueTask DisposeAsync()
    {
        Simulator.Dispose();
        ModbusTcpServer?.Dispose();
        await Broker.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
