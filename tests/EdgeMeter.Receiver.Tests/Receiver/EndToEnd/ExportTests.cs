using System.Text.Json.Nodes;
using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Messages;
using EdgeMeter.Core.Packet;
using EdgeMeter.Receiver.Cli;
using EdgeMeter.Receiver.Tests.Receiver.Support;
using MQTTnet;

namespace EdgeMeter.Receiver.Tests.Receiver.EndToEnd;

/// <summary>`edgemeter-receiver export`: stored readings as CSV or xlsx, Beijing time, flags by name, beside a running receiver.</summary>
public sealed class ExportTests : IAsyncLifetime
{
    private readonly ReceiverHarness _harness = ReceiverHarness.Create();
    private readonly TestGateway _gateway = new(TestKeys.Gateway1, TestKeys.Gateway1V1);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Readings_of_a_beijing_day_export_as_csv_while_the_receiver_runs()
    {
        await _harness.StartAsync();
        Assert.Equal(MqttClientConnectResultCode.Success, (await _gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode);
        Assert.True((await _gateway.PublishAsync(PacketKind.Up, _gateway.SignReadings(1,
            TestGateway.Reading(1, "100.01"), TestGateway.Reading(2, "100.50", minute: 15, flags: ReadingFlags.Estimated | ReadingFlags.Rollover),
            TestGateway.Reading(3, "230.4", point: "02010100")))).IsSuccess);
        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM readings") == 3, "the readings stored");
        var config = Config();
        var file = Path.Combine(_harness.Directory, "export.csv");

        var (exit, output, error) = await CliAsync("export", "--config", config, "--from", "2025-06-01", "--to", "2025-06-01", "--out", file);
        var (emptyExit, emptyOutput, _) = await CliAsync("export", "--config", config, "--from", "2025-06-02", "--to", "2025-06-03");

        Assert.True(exit == ExitCodes.Ok, error);
        Assert.Equal("3 readings rows in " + file + "\n", output);
        Assert.Equal(
            [
                "# EdgeMeter readings, Beijing days 2025-06-01 to 2025-06-01",
                "gateway,n,meter,point,time_beijing,value,unit,flags",
                "gw-0001,1,000012345678,00010000,2025-06-01 07:00:00,100.01,kWh,",
                "gw-0001,3,000012345678,02010100,2025-06-01 07:00:00,230.4,kWh,",
                "gw-0001,2,000012345678,00010000,2025-06-01 07:15:00,100.50,kWh,estimated rollover",
            ],
            File.ReadAllText(file).Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(ExitCodes.Ok, emptyExit);
        Assert.Equal(2, emptyOutput.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // what it is, and the columns
    }

    [Fact]
    public async Task The_consoles_download_streams_a_large_export_whole_and_defuses_formula_like_ids()
    {
        _harness.Options.Console.UsersFile = Path.Combine(_harness.Directory, "users.json");
        EdgeMeter.Receiver.WebConsole.ConsoleUsers.Write(_harness.Options.Console.UsersFile,
            [new EdgeMeter.Receiver.WebConsole.ConsoleUser("viewer", EdgeMeter.Receiver.WebConsole.ConsoleRole.Viewer, EdgeMeter.Common.Crypto.PasswordHash.Create("correct-horse-battery", 1000))]);
        await _harness.StartAsync();
        Assert.Equal(MqttClientConnectResultCode.Success, (await _gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode);
        for (var packet = 0; packet < 40; packet++)
        {
            var readings = Enumerable.Range(0, 5).Select(i => TestGateway.Reading((packet * 5) + i + 1, $"{100 + packet}.{i}", meter: packet == 0 ? "-evil" : "000012345678", minute: i)).ToArray();
            Assert.True((await _gateway.PublishAsync(PacketKind.Up, _gateway.SignReadings(packet + 1, readings))).IsSuccess);
        }

        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM readings") == 200, "the readings stored");
        using var http = await ConsoleBrowserlessClient.SignInAsync(_harness.Receiver!.AdminAddress, "viewer", "correct-horse-battery");

        var csv = await http.GetStringAsync("/console/export?what=readings&from=2025-06-01&to=2025-06-01", TestContext.Current.CancellationToken);

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(csv.Length > 8 * 1024, $"{csv.Length} characters");
        Assert.Equal(202, lines.Length);
        Assert.Equal(5, lines.Count(l => l.StartsWith("gw-0001,", StringComparison.Ordinal) && l.Contains(",'-evil,", StringComparison.Ordinal)));

        using var xlsx = await http.GetAsync("/console/export?what=readings&from=2025-06-01&to=2025-06-01&format=xlsx", TestContext.Current.CancellationToken);
        var file = Path.Combine(_harness.Directory, "download.xlsx");
        await File.WriteAllBytesAsync(file, await xlsx.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Equal(202, Assert.Single(OpenpyxlReader.Read(file)).Rows.Count);
    }

    [Fact]
    public async Task Readings_export_as_an_xlsx_workbook_that_openpyxl_reads_with_numbers_and_times_typed()
    {
        await _harness.StartAsync();
        Assert.Equal(MqttClientConnectResultCode.Success, (await _gateway.ConnectAsync(_harness.BrokerPort, ReceiverHarness.Gateway1Password)).ResultCode);
        Assert.True((await _gateway.PublishAsync(PacketKind.Up, _gateway.SignReadings(1,
            TestGateway.Reading(1, "100.01", meter: "-evil"), TestGateway.Reading(2, "12345678.125", minute: 15, flags: ReadingFlags.Estimated)))).IsSuccess);
        await Eventually.Until(() => _harness.Count("SELECT COUNT(*) FROM readings") == 2, "the readings stored");
        var file = Path.Combine(_harness.Directory, "export.xlsx");

        var (exit, output, error) = await CliAsync("export", "--config", Config(), "--from", "2025-06-01", "--to", "2025-06-01", "--format", "xlsx", "--out", file);

        Assert.True(exit == ExitCodes.Ok, error);
        Assert.Equal("2 readings rows in " + file + "\n", output);
        var sheet = Assert.Single(OpenpyxlReader.Read(file));
        Assert.Equal("EdgeMeter readings, Beijing days 2025-06-01 to 2025-06-01", sheet.Rows[0]![0]!.GetValue<string>());
        Assert.Equal(string.Join(',', EdgeMeter.Receiver.History.HistoryExport.ReadingColumns), string.Join(',', sheet.Rows[1]!.AsArray().Select(c => c!.GetValue<string>())));
        Assert.Equal(4, sheet.Rows.Count);
        Assert.Equal(["gw-0001", "1", "-evil", "00010000", "date:2025-06-01 07:00:00", "100.01", "kWh", "null"], Cells(sheet.Rows[2]!));
        Assert.Equal(["gw-0001", "2", "000012345678", "00010000", "date:2025-06-01 07:15:00", "12345678.125", "kWh", "estimated"], Cells(sheet.Rows[3]!));
        Assert.Equal(System.Text.Json.JsonValueKind.Number, sheet.Rows[3]![5]!.GetValueKind()); // a number, not text
    }

    [Fact]
    public async Task An_xlsx_export_longer_than_a_sheet_continues_on_the_next_with_the_title_and_columns_again()
    {
        var file = Path.Combine(_harness.Directory, "split.xlsx");
        await using (var stream = File.Create(file))
        {
            await using var sheet = new EdgeMeter.Receiver.History.XlsxSheet(stream) { SheetRows = 5 };
            await sheet.TitleAsync("title", ["a", "b"], TestContext.Current.CancellationToken);
            for (var i = 1; i <= 7; i++)
            {
                await sheet.RowAsync([new($"{i}", EdgeMeter.Receiver.History.ExportCellKind.Number), new($"row {i}")], TestContext.Current.CancellationToken);
            }

            await sheet.FinishAsync(TestContext.Current.CancellationToken);
        }

        var sheets = OpenpyxlReader.Read(file);

        Assert.Equal(["export", "export 2", "export 3"], sheets.Select(s => s.Name));
        Assert.Equal([5, 5, 3], sheets.Select(s => s.Rows.Count));
        Assert.All(sheets, s => Assert.Equal("title", s.Rows[0]![0]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"{i}"), sheets.SelectMany(s => s.Rows.Skip(2)).Select(r => r![0]!.ToJsonString()));
    }

    private static string[] Cells(JsonNode row) => [.. row.AsArray().Select(c => c is null ? "null" : c.GetValueKind() == System.Text.Json.JsonValueKind.String ? c.GetValue<string>() : c.ToJsonString())];

    [Theory]
    [InlineData("--what", "packets", "--what 'packets' is not readings or indicators")]
    [InlineData("--to", "2025-05-01", "--to is before --from")]
    [InlineData("--format", "ods", "--format 'ods' is not csv or xlsx")]
    [InlineData("--format", "xlsx", "--format xlsx writes a workbook: give it a file with --out")]
    public async Task Bad_options_are_one_clear_error(string option, string value, string message)
    {
        var given = new Dictionary<string, string> { ["--from"] = "2025-06-01", ["--to"] = "2025-06-01", [option] = value };
        var args = new List<string> { "export", "--config", Config() };
        args.AddRange(given.SelectMany(pair => new[] { pair.Key, pair.Value }));
        var (exit, _, error) = await CliAsync([.. args]);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    /// <summary>The example configuration, reading the harness's database.</summary>
    private string Config()
    {
        var config = JsonNode.Parse(File.ReadAllText(Repo.PathOf("examples/receiver/receiver.json")))!.AsObject();
        var store = _harness.Options.Store;
        config["Store"] = new JsonObject { ["Database"] = store.Database.ToString(), ["Path"] = store.Path, ["ConnectionString"] = store.ConnectionString };
        var path = Path.Combine(_harness.Directory, "export-receiver.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private static async Task<(int Exit, string Output, string Error)> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReceiverCli.RunAsync(args, output, error, TextReader.Null);
        return (exit, output.ToString(), error.ToString());
    }
}
