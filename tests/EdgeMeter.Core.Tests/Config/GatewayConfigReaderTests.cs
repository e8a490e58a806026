using System.Text;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Tests.Config;

public class GatewayConfigReaderTests
{
    private const string Minimal = """
        {"schema":1,"gatewayId":"gw-1","keyVersion":1,"mqtt":{"host":"127.0.0.1"},
         "buses":[{"id":"bus1","link":"tcp://127.0.0.1:4001"}],
         "meters":[{"id":"m1","bus":"bus1","protocol":"dlt645","address":"123456789012","pollSeconds":60,
                    "points":[{"id":"energy","di":"00010000"}]}]}
        """;

    public static TheoryData<string> Examples => new(Directory.GetFiles(Repo.PathOf("examples"), "*.json").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_is_valid(string file)
    {
        var config = Read(File.ReadAllText(Repo.PathOf(Path.Combine("examples", file))), out var errors);
        Assert.Empty(errors);
        Assert.NotNull(config);
        Assert.NotEmpty(config!.Meters);
    }

    [Fact]
    public void Minimal_config_gets_documented_defaults()
    {
        var config = Read(Minimal, out var errors)!;
        Assert.Empty(errors);
        Assert.Equal("gw-1", config.Mqtt.Username);
        Assert.Equal(1883, config.Mqtt.Port);
        Assert.Equal("edgemeter/v1", config.Mqtt.TopicPrefix);
        Assert.Equal(2400, config.Buses[0].Baud);
        Assert.Equal("even", config.Buses[0].Parity);
        Assert.Equal(60, config.Meters[0].PollSeconds);
        Assert.Equal(0x00010000u, config.Meters[0].Points[0].DataIdentifier);
        Assert.Equal("kWh", config.Meters[0].Points[0].Unit);
        Assert.Equal(1024, config.Upload.MaxPacketBytes);
    }

    [Theory]
    [InlineData("\"pollSeconds\":60", "\"pollSeconds\":7", "$.meters[0].pollSeconds: must be one of 1, 2, 5, 10, 15, 20, 30, 60")]
    [InlineData("\"bus\":\"bus1\"", "\"bus\":\"bus9\"", "$.meters[0].bus: \"bus9\" is not one of the buses")]
    [InlineData("\"di\":\"00010000\"", "\"di\":\"0001\"", "$.meters[0].points[0].di: must be 8 hex digits for dlt645")]
    [InlineData("\"di\":\"00010000\"", "\"di\":\"12345678\"", "$.meters[0].points[0].di: 12345678 is not in the DL/T 645 catalogue")]
    [InlineData("\"address\":\"123456789012\"", "\"address\":\"12345\"", "$.meters[0].address: must be the meter's 12-digit")]
    [InlineData("\"di\":\"00010000\"", "\"di\":\"00010000\",\"ratio\":200", "$.meters[0].points[0].ratio: must be an exact decimal in a string")]
    [InlineData("\"di\":\"00010000\"", "\"di\":\"00010000\",\"ratio\":\"1,5\"", "$.meters[0].points[0].ratio: must be an exact decimal in a string")]
    [InlineData("\"di\":\"00010000\"", "\"di\":\"00010000\",\"ratio\":\"0\"", "$.meters[0].points[0].ratio: must be above 0 and at most 100000000")]
    [InlineData("\"di\":\"00010000\"", "\"di\":\"00010000\",\"ratio\":\"-40\"", "$.meters[0].points[0].ratio: must be above 0")]
    [InlineData("\"di\":\"00010000\"", "\"di\":\"00010000\",\"ratio\":\"100000000.1\"", "$.meters[0].points[0].ratio: must be above 0 and at most")]
    [InlineData("\"host\":\"127.0.0.1\"", "\"hots\":\"127.0.0.1\"", "$.mqtt.hots: unknown setting")]
    [InlineData("\"host\":\"127.0.0.1\"", "\"hots\":\"127.0.0.1\"", "$.mqtt.host: is required")]
    [InlineData("\"keyVersion\":1", "\"keyVersion\":\"1\"", "$.keyVersion: must be a whole number")]
    [InlineData("\"protocol\":\"dlt645\"", "\"protocol\":\"iec62056\"", "$.meters[0].protocol: must be one of dlt645, dlt645-1997, modbus, cjt188")]
    [InlineData("\"gatewayId\":\"gw-1\"", "\"gatewayId\":\"gw 1\"", "$.gatewayId: must be 1-64 of")]
    [InlineData("\"schema\":1", "\"schema\":2", "$.schema: must be from 1 to 1")]
    public void Each_problem_is_reported_with_its_path(string original, string replacement, string expected)
    {
        Assert.Contains(original, Minimal);
        var config = Read(Minimal.Replace(original, replacement), out var errors);
        Assert.Null(config);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_ratio_is_read_exactly_and_defaults_to_one()
    {
        var config = Read(Minimal.Replace("\"di\":\"00010000\"", "\"di\":\"00010000\",\"ratio\":\"0.5\""), out var errors)!;
        Assert.Empty(errors);
        Assert.Equal(new FixedDecimal(5, 1), config.Meters[0].Points[0].Ratio);

        Assert.True(Read(Minimal, out _)!.Meters[0].Points[0].Ratio.ValueEquals(PointSettings.NoRatio));
    }

    [Fact]
    public void A_data_code_from_an_older_configuration_is_accepted_ignored_and_noted()
    {
        var config = Read(Minimal.Replace("\"di\":\"00010000\"", "\"di\":\"00010000\",\"dataCode\":\"000000000233000001\""), out var errors)!;

        Assert.Empty(errors);
        var note = Assert.Single(config.Notes);
        Assert.StartsWith("$.meters[0].points[0].dataCode: ignored", note, StringComparison.Ordinal);
        Assert.Empty(Read(Minimal, out _)!.Notes);
    }

    [Fact]
    public void All_problems_are_reported_at_once()
    {
        var broken = Minimal.Replace("\"pollSeconds\"", "\"x\"").Replace("\"address\":\"123456789012\"", "\"address\":\"1\"").Replace("\"host\":\"127.0.0.1\"", "\"port\":0");
        Read(broken, out var errors);
        Assert.Contains(errors, e => e.StartsWith("$.meters[0].address:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.mqtt.host: is required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.mqtt.port: must be from 1 to 65535", StringComparison.Ordinal));
    }

    [Fact]
    public void Modbus_points_need_register_and_unit_and_ids_must_be_unique()
    {
        const string config = """
            {"schema":1,"gatewayId":"gw-1","keyVersion":1,"mqtt":{"host":"h"},
             "buses":[{"id":"b","link":"tcp://127.0.0.1:1"},{"id":"b","link":"tcp://127.0.0.1:2"}],
             "meters":[{"id":"m","bus":"b","protocol":"modbus","unit":3,
                        "points":[{"id":"p","type":"float32"},
                                  {"id":"p","register":2,"unit":"V"}]}]}
            """;
        Read(config, out var errors);
        Assert.Contains("$.buses[1].id: \"b\" is used by buses[0] too", errors);
        Assert.Contains("$.meters[0].points[0].register: is required", errors);
        Assert.Contains("$.meters[0].points[0].unit: is required for Modbus points", errors);
        Assert.Contains("$.meters[0].points[1].id: \"p\" is used by points[0] too", errors);
    }

    [Theory]
    [InlineData("", "$: not valid JSON (unexpected end at byte 0)")]
    [InlineData("[1]", "$: must be a JSON object")]
    [InlineData("{\"a\":1,\"a\":2}", "$: not valid JSON (duplicate member name")]
    public void Not_a_config_at_all(string text, string expected)
    {
        Read(text, out var errors);
        Assert.StartsWith(expected, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"function\":4,\"type\":\"float32\",\"wordOrder\":\"little\"", ModbusFunction.ReadInputRegisters, ModbusDataType.Float32, ModbusWordOrder.LittleEndian)]
    [InlineData("\"type\":\"int64\"", ModbusFunction.ReadHoldingRegisters, ModbusDataType.Int64, ModbusWordOrder.BigEndian)]
    [InlineData("\"function\":3", ModbusFunction.ReadHoldingRegisters, ModbusDataType.UInt16, ModbusWordOrder.BigEndian)]
    public void Modbus_point_settings_are_read_into_the_protocols_types(string settings, ModbusFunction function, ModbusDataType type, ModbusWordOrder order)
    {
        var config = Read(ModbusMeter(settings), out var errors);

        Assert.Empty(errors);
        var point = config!.Meters[0].Points[0];
        Assert.Equal(function, point.Function);
        Assert.Equal(type, point.DataType);
        Assert.Equal(order, point.WordOrder);
    }

    [Theory]
    [InlineData("\"type\":\"float16\"", "$.meters[0].points[0].type: must be one of int16, uint16, int32, uint32, float32, int64, uint64, float64 (found \"float16\")")]
    [InlineData("\"wordOrder\":\"middle\"", "$.meters[0].points[0].wordOrder: must be one of big, little (found \"middle\")")]
    [InlineData("\"function\":6", "$.meters[0].points[0].function: must be one of 3, 4 (found 6)")]
    public void An_unknown_Modbus_name_is_an_error_never_a_default(string settings, string expected)
    {
        Assert.Null(Read(ModbusMeter(settings), out var errors));
        Assert.Contains(expected, errors);
    }

    [Theory]
    [InlineData("plc.plant.local", "plc.plant.local", 502)]
    [InlineData("10.0.5.20:1502", "10.0.5.20", 1502)]
    public void A_bus_can_be_a_Modbus_TCP_server(string endpoint, string host, int port)
    {
        var config = Read(TcpBus($"\"modbusTcp\":\"{endpoint}\"", "\"protocol\":\"modbus\",\"unit\":255"), out var errors);

        Assert.Empty(errors);
        Assert.True(config!.Buses[0].IsModbusTcp);
        Assert.Equal(host, config.Buses[0].ModbusTcpHost);
        Assert.Equal(port, config.Buses[0].ModbusTcpPort);
        Assert.Equal(255, config.Meters[0].Unit);
        Assert.Equal(1, config.Buses[0].MaxOutstanding);
    }

    [Theory]
    [InlineData("\"modbusTcp\":\"10.0.5.20:0\"", "\"protocol\":\"modbus\",\"unit\":1", "$.buses[0].modbusTcp: must be HOST or HOST:PORT of a Modbus TCP server, e.g. \"10.0.5.20:502\" (found \"10.0.5.20:0\")")]
    [InlineData("\"modbusTcp\":\"http://plc\"", "\"protocol\":\"modbus\",\"unit\":1", "$.buses[0].modbusTcp: must be HOST or HOST:PORT")]
    [InlineData("\"modbusTcp\":\"plc\",\"uart\":\"COM2\"", "\"protocol\":\"modbus\",\"unit\":1", "$.buses[0].modbusTcp: is a bus of its own: leave out link and uart")]
    [InlineData("\"modbusTcp\":\"plc\"", "\"protocol\":\"dlt645\",\"address\":\"123456789012\"", "$.meters[0].protocol: must be modbus on bus \"bus1\", a Modbus TCP server")]
    [InlineData("\"modbusTcp\":\"plc\"", "\"protocol\":\"modbus\",\"unit\":256", "$.meters[0].unit: must be from 0 to 255 (found 256)")]
    [InlineData("\"uart\":\"COM2\"", "\"protocol\":\"modbus\",\"unit\":255", "$.meters[0].unit: must be from 1 to 247 (found 255)")]
    [InlineData("\"uart\":\"COM2\",\"maxOutstanding\":4", "\"protocol\":\"modbus\",\"unit\":1", "$.buses[0].maxOutstanding: is for a Modbus TCP bus (modbusTcp)")]
    [InlineData("\"modbusTcp\":\"plc\",\"maxOutstanding\":17", "\"protocol\":\"modbus\",\"unit\":1", "$.buses[0].maxOutstanding: must be from 1 to 16 (found 17)")]
    public void A_Modbus_TCP_bus_is_checked(string bus, string meter, string expected)
    {
        Assert.Null(Read(TcpBus(bus, meter), out var errors));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    /// <summary>A board's configuration (network ethernet: no PC link) with one bus and one meter.</summary>
    private static string TcpBus(string busSettings, string meterSettings) => $$"""
        {"schema":1,"gatewayId":"gw-1","keyVersion":1,"mqtt":{"host":"127.0.0.1"},"network":{"mode":"ethernet"},
         "buses":[{"id":"bus1",{{busSettings}}}],
         "meters":[{"id":"m1","bus":"bus1",{{meterSettings}},"points":[{"id":"p","register":0,"unit":"t/h"}]}]}
        """;

    [Fact]
    public void A_CJT188_meter_is_read_into_its_type_address_order_and_fields()
    {
        var config = Read(Cjt188Meter("\"meterType\":\"heat\",\"diOrder\":\"1F90\"", "\"field\":\"heat\",\"unit\":\"kWh\""), out var errors);

        Assert.Empty(errors);
        var meter = config!.Meters[0];
        Assert.True(meter.IsCjt188);
        Assert.Equal(0x20, meter.Cjt188Type);
        Assert.True(meter.SwappedDi);
        Assert.Equal("00312718241912", meter.Address);
        Assert.Equal(EdgeMeter.Core.Protocol.Cjt188.Cjt188Field.Heat, meter.Points[0].Field);
    }

    [Theory]
    [InlineData("\"meterType\":\"cold-water\"", "\"field\":\"heat\",\"unit\":\"kWh\"", "$.meters[0].points[0].field: \"heat\" is not reported by a cold-water meter")]
    [InlineData("\"meterType\":\"gas\"", "\"field\":\"total\"", "$.meters[0].points[0].unit: is required for CJ/T 188 points")]
    [InlineData("\"meterType\":\"steam\"", "\"field\":\"total\",\"unit\":\"t\"", "$.meters[0].meterType: must be one of cold-water, hot-water, drinking-water, reclaimed-water, heat, cooling, gas (found \"steam\")")]
    [InlineData("\"meterType\":\"gas\",\"diOrder\":\"901f\"", "\"field\":\"total\",\"unit\":\"m3\"", "$.meters[0].diOrder: must be one of 901F, 1F90")]
    [InlineData("\"meterType\":\"gas\"", "\"field\":\"temperature\",\"unit\":\"m3\"", "$.meters[0].points[0].field: must be one of total, settlement-total")]
    public void A_CJT188_meter_is_checked(string meterSettings, string pointSettings, string expected)
    {
        Assert.Null(Read(Cjt188Meter(meterSettings, pointSettings), out var errors));
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_CJT188_address_is_14_hex_digits()
    {
        Assert.Null(Read(Cjt188Meter("\"meterType\":\"gas\"", "\"field\":\"total\",\"unit\":\"m3\"").Replace("00312718241912", "123456789012", StringComparison.Ordinal), out var errors));
        Assert.Contains("$.meters[0].address: must be the meter's 14-digit CJ/T 188 address, A6 first (found \"123456789012\")", errors);
    }

    private static string Cjt188Meter(string meterSettings, string pointSettings) => $$"""
        {"schema":1,"gatewayId":"gw-1","keyVersion":1,"mqtt":{"host":"127.0.0.1"},
         "buses":[{"id":"mbus","link":"tcp://127.0.0.1:4001"}],
         "meters":[{"id":"w1","bus":"mbus","protocol":"cjt188","address":"00312718241912",{{meterSettings}},
                    "points":[{"id":"p",{{pointSettings}}}]}]}
        """;

    private static string ModbusMeter(string pointSettings) => $$"""
        {"schema":1,"gatewayId":"gw-1","keyVersion":1,"mqtt":{"host":"127.0.0.1"},
         "buses":[{"id":"bus1","link":"tcp://127.0.0.1:4001"}],
         "meters":[{"id":"m1","bus":"bus1","protocol":"modbus","unit":1,"pollSeconds":60,
                    "points":[{"id":"p","register":0,"unit":"V",{{pointSettings}}}]}]}
        """;

    private static GatewayConfig? Read(string text, out string[] errors)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return GatewayConfigReader.Read(bytes, bytes.Length, out errors);
    }
}
