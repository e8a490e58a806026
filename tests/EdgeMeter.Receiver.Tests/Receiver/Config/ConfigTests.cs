using System.Collections;
using System.Text.RegularExpressions;
using EdgeMeter.Common.Cli;
using EdgeMeter.Receiver.Cli;
using EdgeMeter.Receiver.Config;

namespace EdgeMeter.Receiver.Tests.Receiver.Config;

public sealed partial class ConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_complete_example_in_docs_receiver_md_is_valid_once_the_environment_gives_its_secrets()
    {
        var path = WriteConfig(DocumentedExample());
        File.WriteAllBytes(Path.Combine(_directory, "receiver.pfx"), [0]);

        var options = ConfigLoader.Load(path, SecretsFromEnvironment(path));

        Assert.Equal(IngestMode.Embedded, options.Ingest.Mode);
        Assert.Equal(Path.Combine(_directory, "keys.json"), options.Keys.File);
        Assert.NotEmpty(options.Gateways);
        Assert.Empty(options.Points);
        var items = EdgeMeter.Receiver.Indicators.ItemCatalogue.From(options);
        Assert.NotNull(items.Find("91530100MA6NXKB7X1", "000000000112000001"));
        Assert.NotNull(items.Find("91110108MA01B2C3D0", "000000000112000001"));
        Assert.Null(items.Find(null, "000000000112000001"));
        var routing = Routing.From(options);
        Assert.All(options.Gateways, gateway => Assert.NotEmpty(routing.PlatformsOf(gateway.Id)));
    }

    [Fact]
    public void Environment_variables_override_the_file()
    {
        var path = WriteConfig(DocumentedExample());
        File.WriteAllBytes(Path.Combine(_directory, "receiver.pfx"), [0]);
        var environment = SecretsFromEnvironment(path);
        environment["EDGEMETER_RECEIVER__Store__Path"] = "/var/lib/edgemeter/other.db";
        environment["EDGEMETER_RECEIVER__Gateways__1__Password"] = "from-the-environment";
        environment["EDGEMETER_RECEIVER__Ingest__Embedded__Port"] = "2883";
        environment["UNRELATED"] = "x";

        var options = ConfigLoader.Load(path, environment);

        Assert.Equal("/var/lib/edgemeter/other.db", options.Store.Path);
        Assert.Equal("from-the-environment", options.Gateways[1].Password);
        Assert.Equal(2883, options.Ingest.Embedded.Port);
    }

    [Fact]
    public void Every_problem_names_its_setting()
    {
        var path = WriteConfig("""
            {
              "Gateways": [ { "Id": "gw/1", "Enterprise": "91530100MA6NXKB7X1", "Password": "p" } ],
              "Enterprises": [ { "Code": "91530100MA6NXKB7X1", "Platforms": [ "provincial", "nowhere" ] } ],
              "Platforms": [ { "Name": "provincial", "Http": { "BaseAddress": "http://127.0.0.1:5080/" } } ],
              "Items": [ { "DataCode": "0000000011", "Enterprise": "91530100MA6NXKB7X1", "Unit": "kWh", "ConvertRation": "-1", "IntervalMinutes": 20,
                           "Terms": [ { "Gateway": "gw-9", "Meter": "m1", "Point": "p1", "Factor": "0" } ] } ],
              "Admin": { "Tokens": [ { "Name": "op", "Token": "short" } ] }
            }
            """);

        var problems = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, new Hashtable())).Problems;

        Assert.Contains(problems, p => p.StartsWith("Gateways[0].Id: 'gw/1' is not a gateway id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Enterprises[0].Platforms: 'nowhere' is not one of Platforms[].Name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Platforms[0].Http.EnterprisePasswords: no password for enterprise '91530100MA6NXKB7X1'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Items[0].DataCode: dataCode:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Items[0].ConvertRation:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Items[0].IntervalMinutes: 20 is not 15, 30 or 60", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Items[0].Terms[0].Gateway: 'gw-9' is not one of Gateways[].Id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Items[0].Terms[0].Factor: '0' is not a non-zero exact decimal", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Admin.Tokens[0].Token:", StringComparison.Ordinal));
    }

    [Fact]
    public void An_older_file_with_Points_is_told_where_the_mapping_went()
    {
        var path = WriteConfig("""{ "Points": [ { "Gateway": "gw-1", "Meter": "m1", "Point": "p1", "DataCode": "000000000112000001", "ConvertRation": "1.229" } ] }""");

        var problems = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, new Hashtable())).Problems;

        Assert.Contains(problems, p => p.StartsWith("Points: replaced by Items", StringComparison.Ordinal) && p.Contains("docs/indicators.md", StringComparison.Ordinal));
    }

    [Fact]
    public void Consumption_settings_on_another_kind_and_a_term_of_another_enterprise_are_refused()
    {
        var path = WriteConfig("""
            {
              "Gateways": [ { "Id": "gw-1", "Enterprise": "91530100MA6NXKB7X1", "Password": "p" }, { "Id": "gw-2", "Enterprise": "91110108MA01B2C3D0", "Password": "p" } ],
              "Enterprises": [ { "Code": "91530100MA6NXKB7X1" }, { "Code": "91110108MA01B2C3D0" } ],
              "Items": [ { "DataCode": "000000000112000001", "Enterprise": "91530100MA6NXKB7X1", "Kind": "Average", "Unit": "kW", "ConvertRation": "0",
                           "Terms": [ { "Gateway": "gw-2", "Meter": "m1", "Point": "power", "MaxDemand": "500" } ] } ]
            }
            """);

        var problems = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, new Hashtable())).Problems;

        Assert.Contains(problems, p => p.StartsWith("Items[0].Terms[0].Gateway: 'gw-2' belongs to enterprise 91110108MA01B2C3D0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Items[0].Terms[0].MaxDemand: applies to Consumption items only", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_setting_is_an_error_not_a_silent_default()
    {
        var path = WriteConfig("""{ "Store": { "Pth": "typo.db" } }""");

        var problem = Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, new Hashtable())).Problems);

        Assert.Contains("Pth", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_with_a_bad_configuration_exits_2_naming_the_setting()
    {
        var path = WriteConfig("""{ "Store": { "MaxBatch": 0 } }""");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await ReceiverCli.RunAsync(["run", "--config", path], output, error, TextReader.Null);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("edgemeter-receiver: error: config: Store.MaxBatch: 0 is not 1-10000", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "RawDays": -1 }""", "Store.Retention.RawDays: -1 is not 0 (keep for ever) or 1-36500")]
    [InlineData("""{ "EveryMinutes": 0 }""", "Store.Retention.EveryMinutes: 0 is not 1-10080 (a week)")]
    [InlineData("""{ "BatchPackets": 0 }""", "Store.Retention.BatchPackets: 0 is not 1-100000")]
    public void A_bad_retention_setting_is_named(string retention, string message)
    {
        var path = WriteConfig($$"""{ "Store": { "Retention": {{retention}} } }""");

        var problems = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, new Hashtable())).Problems;

        Assert.Contains(message, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_config_finds_item_terms_that_name_no_point_of_the_gateway_configurations_given()
    {
        var path = WriteConfig(DocumentedExampleWithSecrets());
        File.WriteAllBytes(Path.Combine(_directory, "receiver.pfx"), [0]);
        var gw1 = GatewayConfig("gw-0001", ("000012345678", ["00010000", "02030000", "00020000"], ""));
        var gw2 = GatewayConfig("gw-0002", ("000012345679", ["00010000"], ""), ("modbus:7", ["import"], "kWh"), ("modbus:3", ["hr:40100"], "t/h"));

        var good = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await ReceiverCli.RunAsync(["check-config", "--config", path, "--gateway-config", gw1], good, new StringWriter(), TextReader.Null));
        Assert.Contains("gw-0001/000012345678/00020000: read by the gateway, in no data item", good.ToString(), StringComparison.Ordinal);
        Assert.Contains("Items[1].Terms[0]: not checked, no --gateway-config for gw-0002", good.ToString(), StringComparison.Ordinal);

        var error = new StringWriter();
        var exit = await ReceiverCli.RunAsync(["check-config", "--config", path, "--gateway-config", gw1, gw2], new StringWriter(), error, TextReader.Null);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("Items[0].Terms[2]: meter gw-0002/modbus:7 has no point 'export' (its points: import)", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Items[1]", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_config_names_an_unreadable_gateway_configuration()
    {
        var path = WriteConfig(DocumentedExampleWithSecrets());
        File.WriteAllBytes(Path.Combine(_directory, "receiver.pfx"), [0]);
        var broken = Path.Combine(_directory, "broken.json");
        File.WriteAllText(broken, "{ \"schema\": 1 }");
        var error = new StringWriter();

        var exit = await ReceiverCli.RunAsync(["check-config", "--config", path, "--gateway-config", broken], new StringWriter(), error, TextReader.Null);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains($"--gateway-config {broken}: ", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A minimal valid gateway configuration with DL/T 645 meters (the address is the meter id) or Modbus ones.</summary>
    private string GatewayConfig(string gatewayId, params (string Meter, string[] Points, string Unit)[] meters)
    {
        var meterJson = meters.Select(m => m.Meter.StartsWith("modbus:", StringComparison.Ordinal)
            ? $$"""{ "id": "{{m.Meter}}", "bus": "bus1", "protocol": "modbus", "unit": {{m.Meter[7..]}}, "points": [{{string.Join(", ", m.Points.Select((p, i) => $$"""{ "id": "{{p}}", "register": {{i * 2}}, "type": "uint16", "unit": "{{m.Unit}}" }"""))}}] }"""
            : $$"""{ "id": "{{m.Meter}}", "bus": "bus1", "protocol": "dlt645", "address": "{{m.Meter}}", "points": [{{string.Join(", ", m.Points.Select(p => $$"""{ "id": "{{p}}", "di": "{{p}}" }"""))}}] }""");
        var json = $$"""
            { "schema": 1, "gatewayId": "{{gatewayId}}", "keyVersion": 1, "mqtt": { "host": "127.0.0.1", "port": 1883, "password": "x" },
              "buses": [ { "id": "bus1", "link": "tcp://127.0.0.1:5020" } ], "meters": [ {{string.Join(", ", meterJson)}} ] }
            """;
        var path = Path.Combine(_directory, gatewayId + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("set-by-environment")]
    [InlineData("changeme")]
    [InlineData("<password>")]
    [InlineData("password")]
    public void A_placeholder_secret_is_refused_with_the_variable_that_gives_the_real_one(string placeholder)
    {
        var path = WriteConfig($$"""
            {
              "Gateways": [ { "Id": "gw-1", "Enterprise": "91530100MA6NXKB7X1", "Password": "{{placeholder}}" } ],
              "Enterprises": [ { "Code": "91530100MA6NXKB7X1", "Platforms": [ "provincial" ] } ],
              "Platforms": [ { "Name": "provincial", "Http": { "BaseAddress": "http://127.0.0.1:5080/", "EnterprisePasswords": { "91530100MA6NXKB7X1": "{{placeholder}}" } } } ]
            }
            """);

        var problems = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, new Hashtable())).Problems;

        Assert.Contains($"Gateways[0].Password: '{placeholder}' is a placeholder, not a secret; give the real one here or as EDGEMETER_RECEIVER__Gateways__0__Password", problems);
        Assert.Contains(problems, p => p.StartsWith("Platforms[0].Http.EnterprisePasswords.91530100MA6NXKB7X1: ", StringComparison.Ordinal)
            && p.EndsWith("EDGEMETER_RECEIVER__Platforms__0__Http__EnterprisePasswords__91530100MA6NXKB7X1", StringComparison.Ordinal));
    }

    // The documented example leaves every secret to the environment: each placeholder's message names the variable.
    private static Hashtable SecretsFromEnvironment(string path)
    {
        var problems = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, new Hashtable())).Problems;
        Assert.All(problems, p => Assert.Contains("is a placeholder, not a secret", p, StringComparison.Ordinal));
        var environment = new Hashtable();
        foreach (var problem in problems)
        {
            environment[problem[(problem.LastIndexOf(' ') + 1)..]] = $"secret-{Guid.NewGuid():N}";
        }

        return environment;
    }

    // The CLI reads the process environment: the secrets go into the file instead.
    private static string DocumentedExampleWithSecrets() => DocumentedExample().Replace("set-by-environment", "s3cr3t-value", StringComparison.Ordinal);

    [Fact]
    public async Task The_shipped_example_is_accepted_as_it_is_with_the_bench_gateway()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await ReceiverCli.RunAsync(
            ["check-config", "--config", Path.Combine(Repo.Root, "examples", "receiver", "receiver.json"), "--gateway-config", Path.Combine(Repo.Root, "examples", "bench-pc.json")],
            output, error, TextReader.Null);

        Assert.True(exit == ExitCodes.Ok, error.ToString());
        Assert.Contains("every term of every data item names a point its gateway reads", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The first ```json block after "## Complete example" in docs/receiver.md.</summary>
    internal static string DocumentedExample()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "docs", "receiver.md"));
        var section = text[text.IndexOf("## Complete example", StringComparison.Ordinal)..];
        return JsonBlock().Match(section).Groups[1].Value;
    }

    private string WriteConfig(string json)
    {
        var path = Path.Combine(_directory, "receiver.json");
        File.WriteAllText(path, json);
        return path;
    }

    [GeneratedRegex("```json\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
