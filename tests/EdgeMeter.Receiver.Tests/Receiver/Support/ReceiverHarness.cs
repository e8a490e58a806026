using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Keys;
using EdgeMeter.PlatformSim;
using EdgeMeter.Receiver.Auth;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Keys;
using EdgeMeter.Receiver.Relay.Http;
using EdgeMeter.Receiver.Store;
using Microsoft.Data.Sqlite;

namespace EdgeMeter.Receiver.Tests.Receiver.Support;

/// <summary>
/// A receiver in a temporary folder: key file with the test keys, two gateways of two enterprises, a read-only
/// platform account, an admin token; platforms and routes are added per test. Embedded broker on a free port.
/// </summary>
internal sealed class ReceiverHarness : IAsyncDisposable
{
    public const string Enterprise1 = PlatformSimOptions.DefaultEnterpriseCode;
    public const string Enterprise1Password = PlatformSimOptions.DefaultPassword;
    public const string Enterprise2 = "91110108MA01B2C3D0";
    public const string Enterprise2Password = "second-enterprise";
    public const string AdminToken = "test-admin-token-0123456789";
    public const string Gateway1Password = "gw1-mqtt-password";
    public const string Gateway2Password = "gw2-mqtt-password";
    public const string PlatformUser = "svc.platform-test";
    public const string PlatformPassword = "platform-password";

    private ReceiverHarness(string directory)
    {
        Directory = directory;
        KeyFile.Write(KeyFilePath, ReceiverTestKeys.All);
        Options = new ReceiverOptions
        {
            Keys = { File = KeyFilePath, ReloadSeconds = 1 },
            Ingest = { Mode = IngestMode.Embedded, Embedded = { Address = "127.0.0.1", Port = 0 } },
            Gateways =
            [
                new GatewayOptions { Id = TestKeys.Gateway1, Enterprise = Enterprise1, Password = Gateway1Password },
                new GatewayOptions { Id = TestKeys.Gateway2, Enterprise = Enterprise2, PasswordHash = PasswordHash.Create(Gateway2Password, 1000) },
            ],
            PlatformAccounts = [new PlatformAccountOptions { Username = PlatformUser, Password = PlatformPassword }],
            Enterprises = [new EnterpriseOptions { Code = Enterprise1 }, new EnterpriseOptions { Code = Enterprise2 }],
            Admin = { Urls = "http://127.0.0.1:0", Tokens = [new AdminTokenOptions { Name = "operator", Token = AdminToken }], AuditLog = Path.Combine(directory, "audit.log") },
        };
        TestStores.Configure(Options.Store, directory, TestStores.Default);
    }

    public string Directory { get; }

    public string KeyFilePath => Path.Combine(Directory, "keys.json");

    public ReceiverOptions Options { get; }

    public RunningReceiver? Receiver { get; private set; }

    public int BrokerPort => Receiver!.BrokerPort!.Value;

    public static ReceiverHarness Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "edgemeter-receiver-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new ReceiverHarness(directory);
    }

    /// <summary>A simulator that knows both test enterprises.</summary>
    public static Task<RunningPlatformSim> StartSimAsync(string name, Action<PlatformSimOptions>? configure = null)
    {
        var options = new PlatformSimOptions { Name = name };
        options.Enterprises[Enterprise1] = Enterprise1Password;
        options.Enterprises[Enterprise2] = Enterprise2Password;
        configure?.Invoke(options);
        return PlatformSimulator.StartAsync(options, 0, TestContext.Current.CancellationToken);
    }

    public void AddHttpPlatform(string name, RunningPlatformSim sim, bool batch)
    {
        Options.Platforms.Add(new PlatformOptions
        {
            Name = name,
            Http = new HttpPlatformOptions
            {
                BaseAddress = sim.BaseAddress.ToString(),
                EnterprisePasswords = { [Enterprise1] = Enterprise1Password, [Enterprise2] = Enterprise2Password },
                SupportsBatch = batch,
                CallTimeoutSeconds = 2,
            },
            BatchSize = 20,
            Retry = { InitialDelayMs = 50, MaxDelayMs = 400 },
        });
    }

    public void AddMqttPlatform(string name, int port)
    {
        Options.Platforms.Add(new PlatformOptions
        {
            Name = name,
            Mqtt = new MqttPlatformOptions { Host = "127.0.0.1", Port = port, ClientId = "svc.receiver-relay-test" },
            Retry = { InitialDelayMs = 50, MaxDelayMs = 400 },
        });
    }

    public void Route(string enterprise, params string[] platforms) =>
        Options.Enterprises.Single(e => e.Code == enterprise).Platforms = [.. platforms];

    /// <summary>A data item of one term (factor 1) in the gateway's enterprise.</summary>
    public void AddItem(string dataCode, string gateway, string meter, string point, ItemKind kind = ItemKind.Consumption, string ration = "1.229", string unit = "kWh") =>
        Options.Items.Add(new ItemOptions
        {
            DataCode = dataCode,
            Enterprise = Options.Gateways.Single(g => g.Id == gateway).Enterprise,
            Kind = kind,
            Unit = unit,
            ConvertRation = ration,
            Terms = [new TermOptions { Gateway = gateway, Meter = meter, Point = point }],
        });

    /// <summary>The platform's Idempotency-Key of an item's value (enterprise 1 unless given).</summary>
    public static string KeyOf(string dataCode, StatType statType, DateTime startUtc, string enterprise = Enterprise1, int revision = 0) =>
        EdgeMeter.Receiver.Relay.HttpTier.KeyFor(enterprise, dataCode, statType, startUtc, revision);

    public async Task<RunningReceiver> StartAsync()
    {
        Receiver = await ReceiverApp.StartAsync(Options, new ReceiverStartOptions { LoggerFactory = TestLog.Factory(), RandomSeed = 7 }, TestContext.Current.CancellationToken);
        return Receiver;
    }

    public async Task StopAsync()
    {
        if (Receiver is not null)
        {
            await Receiver.StopAsync();
            Receiver = null;
        }
    }

    public HttpClient Admin(string? token = AdminToken)
    {
        var http = new HttpClient { BaseAddress = Receiver!.AdminAddress };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }

        return http;
    }

    public long Count(string sql, params (string, object)[] args)
    {
        using var db = Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        AddParameters(command, args);

        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public List<string> Strings(string sql)
    {
        using var db = Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs a statement on the receiver's database (for a test that sets up what a receiver left behind).</summary>
    public void Execute(string sql, params (string, object)[] args)
    {
        using System.Data.Common.DbConnection db = Options.Store.Database == StoreKind.Postgres
            ? new Npgsql.NpgsqlConnection(Options.Store.ConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Options.Store.Path, Pooling = false }.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        AddParameters(command, args);

        command.ExecuteNonQuery();
    }

    private static void AddParameters(System.Data.Common.DbCommand command, (string Name, object Value)[] args)
    {
        foreach (var (name, value) in args)
        {
            var parameter = command.CreateParameter();
            (parameter.ParameterName, parameter.Value) = (name, value);
            command.Parameters.Add(parameter);
        }
    }

    // A query connection: read-only on SQLite.
    private System.Data.Common.DbConnection Open() => PacketStore.OpenQueryConnection(Options.Store);
}
