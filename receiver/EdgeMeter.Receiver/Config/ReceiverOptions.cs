using EdgeMeter.Common.Platform;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Relay.Http;

namespace EdgeMeter.Receiver.Config;

/// <summary>
/// Everything the receiver is configured with: a JSON file, overridden by environment variables
/// EDGEMETER_RECEIVER__Section__Key (docs/receiver.md has a complete example). Plain settable classes so that the
/// configuration binder and in-process callers (tests, the demo) fill them the same way.
/// </summary>
public sealed class ReceiverOptions
{
    /// <summary>Topic prefix of the gateways' topics (docs/mqtt-topics.md).</summary>
    public string TopicPrefix { get; set; } = MqttTopics.DefaultPrefix;

    /// <summary>Largest packet accepted; larger ones are quarantined as Oversized.</summary>
    public int MaxPacketBytes { get; set; } = PacketLimits.DefaultMaxPacketBytes;

    public StoreOptions Store { get; set; } = new();

    public KeyOptions Keys { get; set; } = new();

    public IngestOptions Ingest { get; set; } = new();

    public List<GatewayOptions> Gateways { get; set; } = [];

    public List<PlatformAccountOptions> PlatformAccounts { get; set; } = [];

    public List<EnterpriseOptions> Enterprises { get; set; } = [];

    public List<PlatformOptions> Platforms { get; set; } = [];

    /// <summary>The data items the HTTP platforms receive indicators for (docs/indicators.md).</summary>
    public List<ItemOptions> Items { get; set; } = [];

    public IndicatorOptions Indicators { get; set; } = new();

    /// <summary>Replaced by <see cref="Items"/>; still read so that an older file gets a clear message instead of "unknown".</summary>
    public List<PointOptions> Points { get; set; } = [];

    public AdminOptions Admin { get; set; } = new();

    /// <summary>The web console on the admin address (/console).</summary>
    public ConsoleOptions Console { get; set; } = new();

    public LoggingOptions Logging { get; set; } = new();
}

/// <summary>The database the store runs on (docs/receiver.md, "Receivers in a group").</summary>
public enum StoreKind
{
    /// <summary>A file beside one receiver: the default for an enterprise.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database several receivers share: for a province or a service provider.</summary>
    Postgres,
}

public sealed class StoreOptions
{
    /// <summary>Sqlite (default) or Postgres.</summary>
    public StoreKind Database { get; set; } = StoreKind.Sqlite;

    /// <summary>SQLite database file (WAL, synchronous=FULL). Relative paths are relative to the config file.</summary>
    public string Path { get; set; } = "edgemeter-receiver.db";

    /// <summary>
    /// With Database = Postgres: an Npgsql connection string ("Host=db1;Database=edgemeter;Username=edgemeter;Password=...").
    /// Keep the password out of the file with the environment: EDGEMETER_RECEIVER__Store__ConnectionString.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Most writes committed together in one transaction (group commit).</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// A packet whose seq lies more than this far below its gateway's high-water mark is quarantined (the announced
    /// last will excepted); 0 turns the check off. Unseen numbers closer to the mark are accepted (reordering, will).
    /// </summary>
    public long ReplayWindow { get; set; } = 1_000_000;

    /// <summary>
    /// True: SQLite's automatic WAL checkpoint inside the commit that crosses 10,000 pages, as before issue 20. False
    /// (default): checkpoints beside the commits, the WAL bounded near 16 MB (docs/performance.md, "Tail latency").
    /// </summary>
    public bool CheckpointInCommit { get; set; }

    /// <summary>How long raw history is kept (docs/receiver.md, "Retention").</summary>
    public RetentionOptions Retention { get; set; } = new();
}

/// <summary>
/// Raw packets and their readings are deleted this many days after they were received, once every tier delivered them
/// and the indicators read them; indicators, their samples and everything an operator still has to act on stay.
/// </summary>
public sealed class RetentionOptions
{
    public const int DefaultRawDays = 183;

    /// <summary>Days raw packets and readings are kept after they were received; 0 keeps them for ever.</summary>
    public int RawDays { get; set; } = DefaultRawDays;

    /// <summary>How often the pruning pass runs.</summary>
    public int EveryMinutes { get; set; } = 60;

    /// <summary>Packets looked at per transaction: small, so that ingest's commits interleave with pruning.</summary>
    public int BatchPackets { get; set; } = 200;
}

public sealed class KeyOptions
{
    /// <summary>The key registry file (format in docs/packet-format.md), managed with `edgemeter-receiver keys`.</summary>
    public string File { get; set; } = "keys.json";

    /// <summary>How often the file is checked for changes (rotation without restart).</summary>
    public int ReloadSeconds { get; set; } = 5;
}

public enum IngestMode
{
    /// <summary>The receiver is the broker (MQTTnet.Server): nothing else to install.</summary>
    Embedded,

    /// <summary>The receiver subscribes to a broker such as Mosquitto or EMQX.</summary>
    External,
}

public sealed class IngestOptions
{
    public IngestMode Mode { get; set; } = IngestMode.Embedded;

    public EmbeddedBrokerOptions Embedded { get; set; } = new();

    public ExternalBrokerOptions External { get; set; } = new();
}

public sealed class EmbeddedBrokerOptions
{
    /// <summary>Address the listeners bind to.</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>Plain TCP listener port; 0 picks a free port (reported by the running receiver).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>False to serve TLS only.</summary>
    public bool PlainEnabled { get; set; } = true;

    public TlsListenerOptions Tls { get; set; } = new();

    /// <summary>What a client may cost the broker before and after it logged in (docs/receiver.md, "Limits").</summary>
    public BrokerLimits Limits { get; set; } = new();
}

public sealed class BrokerLimits
{
    /// <summary>Seconds from the TCP connection to a whole CONNECT (the TLS handshake included).</summary>
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Connections without a CONNECT yet, in total; more are closed at once.</summary>
    public int MaxPendingConnections { get; set; } = 256;

    /// <summary>Connections without a CONNECT yet, from one source address (a site's gateways may share one behind NAT).</summary>
    public int MaxPendingPerAddress { get; set; } = 64;

    /// <summary>The largest CONNECT (its remaining length): ids, credentials and the last will, a signed status.</summary>
    public int MaxConnectBytes { get; set; } = 16384;

    /// <summary>The largest packet after the CONNECT; a larger one ends the connection at its length field.</summary>
    public int MaxPacketBytes { get; set; } = 65536;

    /// <summary>Wrong passwords from one source address per minute before its logins are refused unchecked for the rest of the minute.</summary>
    public int FailedLoginsPerAddress { get; set; } = 20;

    /// <summary>Wrong passwords for one client id per minute before each further try of it waits a second for its answer.</summary>
    public int FailedLoginsPerClient { get; set; } = 5;

    /// <summary>Quarantined messages per minute from one logged-in client before it is disconnected as flooding.</summary>
    public int QuarantinedPerMinute { get; set; } = 120;

    /// <summary>Seconds a flooding client's logins are refused after its disconnection.</summary>
    public int FloodCoolDownSeconds { get; set; } = 60;
}

public sealed class TlsListenerOptions
{
    public bool Enabled { get; set; }

    public int Port { get; set; } = 8883;

    /// <summary>PKCS#12 (.pfx) file with the server certificate and its private key.</summary>
    public string? CertificateFile { get; set; }

    public string? CertificatePassword { get; set; }
}

public sealed class ExternalBrokerOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    /// <summary>Also the persistent session's name: keep it stable. Never a gateway id (use a dot: svc.receiver-1).</summary>
    public string ClientId { get; set; } = "svc.receiver";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>For test brokers with self-signed certificates only.</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>PEM CA bundle that issued the broker's certificate (a private CA), trusted besides the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>How long the broker keeps the session (and unacknowledged packets) while the receiver is away.</summary>
    public uint SessionExpirySeconds { get; set; } = 86400;

    /// <summary>When set, subscribes as $share/{group}/... so that several receivers share the load.</summary>
    public string? SharedGroup { get; set; }

    /// <summary>Required with SharedGroup: this receiver's part of its client id (ClientId.InstanceId). Unique per receiver, stable across restarts (it names the persistent session).</summary>
    public string? InstanceId { get; set; }

    /// <summary>Unacknowledged packets in flight; large enough for group commit to work.</summary>
    public ushort ReceiveMaximum { get; set; } = 256;

    public int ReconnectDelayMs { get; set; } = 1000;
}

/// <summary>One gateway: its MQTT credential (embedded broker), its enterprise, optionally its own routing.</summary>
public sealed class GatewayOptions
{
    /// <summary>Gateway id: MQTT client id, username and the first half of its packets' kid.</summary>
    public string Id { get; set; } = "";

    /// <summary>The enterprise's 18-character code (an entry of Enterprises).</summary>
    public string Enterprise { get; set; } = "";

    /// <summary>MQTT password in clear text (keep the file 0600), or use PasswordHash.</summary>
    public string? Password { get; set; }

    /// <summary>From `edgemeter-receiver hash-password`: pbkdf2-sha256$iterations$salt$hash.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Platforms for this gateway; null takes the enterprise's.</summary>
    public List<string>? Platforms { get; set; }
}

/// <summary>A read-only account on the embedded broker: may subscribe to every gateway's up and status topics.</summary>
public sealed class PlatformAccountOptions
{
    /// <summary>Must contain a dot (svc.platform-yn) so that it can never be a gateway id.</summary>
    public string Username { get; set; } = "";

    public string? Password { get; set; }

    public string? PasswordHash { get; set; }

    /// <summary>When set, the account may push signed messages to the gateways of one platform (docs/platform-upload.md, "Platform pushes").</summary>
    public PlatformPushOptions? Push { get; set; }
}

/// <summary>How a platform signs what it pushes: its own key, pinned to one algorithm.</summary>
public sealed class PlatformPushOptions
{
    /// <summary>The platform (Platforms[].Name) the account speaks for: only gateways routed to it can be reached.</summary>
    public string Platform { get; set; } = "";

    /// <summary>ES256 (the platform keeps the private key; we hold its public key) or HS256 (a shared secret).</summary>
    public string Algorithm { get; set; } = "ES256";

    /// <summary>ES256: PEM file of the platform's P-256 public key.</summary>
    public string? PublicKeyFile { get; set; }

    /// <summary>HS256: the shared secret, base64, at least 32 bytes.</summary>
    public string? Secret { get; set; }
}

public sealed class EnterpriseOptions
{
    /// <summary>Unified social credit code, 18 characters.</summary>
    public string Code { get; set; } = "";

    public string? Name { get; set; }

    /// <summary>Names of the platforms (Platforms[].Name) its readings go to, e.g. provincial and national.</summary>
    public List<string> Platforms { get; set; } = [];
}

/// <summary>An upstream platform: exactly one of Http and Mqtt.</summary>
public sealed class PlatformOptions
{
    /// <summary>Letters, digits, '-' and '_': used in routing, metrics labels and relay cursors. Never rename one in use.</summary>
    public string Name { get; set; } = "";

    public HttpPlatformOptions? Http { get; set; }

    public MqttPlatformOptions? Mqtt { get; set; }

    /// <summary>Rows sent per round for one gateway.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Gateways served at the same time (each gateway stays in order).</summary>
    public int Parallelism { get; set; } = 4;

    public RetryOptions Retry { get; set; } = new();
}

public sealed class HttpPlatformOptions
{
    /// <summary>Where requestAK, checkVersion and dataEnterpriseEnergy live.</summary>
    public string BaseAddress { get; set; } = "";

    /// <summary>Enterprise code -> password for /requestAK, for every enterprise routed to this platform.</summary>
    public Dictionary<string, string> EnterprisePasswords { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Our batch extension (the simulator); real platforms take one record per request.</summary>
    public bool SupportsBatch { get; set; }

    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Longest wait for one HTTP call (connect, send, answer); past it the call is retried later.</summary>
    public int CallTimeoutSeconds { get; set; } = 10;

    /// <summary>Longest wait for the TCP and TLS connection alone.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>SM4 protection of the requestAK password as the platform specifies it; absent: sent as configured.</summary>
    public Sm4PasswordOptions? PasswordProtection { get; set; }

    /// <summary>PEM file of CA certificates to trust for this platform's server certificate.</summary>
    public string? CaBundleFile { get; set; }

    /// <summary>False: trust only <see cref="CaBundleFile"/> (the platform's private CA), not the system store.</summary>
    public bool TrustSystemStore { get; set; } = true;

    /// <summary>Client certificate for mutual TLS: a .pfx/.p12 file (with <see cref="ClientCertificatePassword"/>) or a PEM certificate with <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertificateFile { get; set; }

    public string? ClientCertificatePassword { get; set; }

    /// <summary>PEM private key of a PEM <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>HTTP proxy for this platform, e.g. http://proxy.corp:3128 (CONNECT for https).</summary>
    public string? Proxy { get; set; }

    /// <summary>Plain http is refused to anything but loopback unless this is set (a platform that offers no TLS).</summary>
    public bool AllowPlainHttp { get; set; }
}

public sealed class MqttPlatformOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 1883;

    public string ClientId { get; set; } = "svc.receiver-relay";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>Topic prefix on the platform's broker; the gateway's topics keep their {gatewayId}/{kind} levels.</summary>
    public string TopicPrefix { get; set; } = MqttTopics.DefaultPrefix;
}

public sealed class RetryOptions
{
    public int InitialDelayMs { get; set; } = 1000;

    public int MaxDelayMs { get; set; } = 300_000;
}

/// <summary>The mapping of point to dataCode before data items; only kept to explain the change.</summary>
public sealed class PointOptions
{
    public string Gateway { get; set; } = "";

    public string Meter { get; set; } = "";

    public string Point { get; set; } = "";

    public string DataCode { get; set; } = "";

    public string ConvertRation { get; set; } = "";

    public DataScope Scope { get; set; } = DataScope.WholePlant;

    public InputType InputType { get; set; } = InputType.FieldInstrument;

    public StatType StatType { get; set; } = StatType.RealTime;
}

/// <summary>A data item registered with the platforms: its dataCode and how its value comes from gateway points.</summary>
public sealed class ItemOptions
{
    /// <summary>18-digit collected-data item code (数据采集项编码).</summary>
    public string DataCode { get; set; } = "";

    /// <summary>The enterprise's code (an entry of Enterprises); its platforms receive the item.</summary>
    public string Enterprise { get; set; } = "";

    /// <summary>For people: "whole-plant electricity".</summary>
    public string? Name { get; set; }

    /// <summary>Consumption (register differences; energy), Register, Average or Instant.</summary>
    public ItemKind Kind { get; set; } = ItemKind.Consumption;

    public string Unit { get; set; } = "";

    /// <summary>Standard-coal conversion factor as an exact decimal, e.g. "0.1229".</summary>
    public string ConvertRation { get; set; } = "";

    public DataScope Scope { get; set; } = DataScope.WholePlant;

    public InputType InputType { get; set; } = InputType.FieldInstrument;

    /// <summary>Real-time interval: 15, 30 or 60 minutes.</summary>
    public int IntervalMinutes { get; set; } = 15;

    /// <summary>Also yearly values (statType 3).</summary>
    public bool Yearly { get; set; }

    public List<TermOptions> Terms { get; set; } = [];
}

/// <summary>factor x one gateway point's value.</summary>
public sealed class TermOptions
{
    public string Gateway { get; set; } = "";

    public string Meter { get; set; } = "";

    public string Point { get; set; } = "";

    /// <summary>Exact decimal with its sign: "1", "-1" (an export meter), "0.5" (half of a shared feeder).</summary>
    public string Factor { get; set; } = "1";

    /// <summary>Consumption: the register's largest value, e.g. "999999.99"; it wraps to 0 after it.</summary>
    public string? RegisterMax { get; set; }

    /// <summary>Consumption: the most the point can use per hour (maximum demand), e.g. "500" kW for kWh.</summary>
    public string? MaxDemand { get; set; }

    /// <summary>Consumption: a power point of the same meter (unit per hour), to recognise a stuck register.</summary>
    public string? PowerPoint { get; set; }
}

/// <summary>When indicator values are final (docs/indicators.md, "Late data").</summary>
public sealed class IndicatorOptions
{
    /// <summary>A period is final once every term's data reaches this far past its end and the gateway reports no backlog.</summary>
    public int GraceMinutes { get; set; } = 15;

    /// <summary>A period is final anyway this long after its end (a gateway that stays silent); later data corrects it.</summary>
    public int FinalAfterMinutes { get; set; } = 360;

    /// <summary>Interpolating between readings further apart than this is flagged "gap" and not valid.</summary>
    public int MaxInterpolationMinutes { get; set; } = 60;

    /// <summary>Items whose share of valid intervals in a day is below this are listed (the public rule: 90 %).</summary>
    public int CompletenessTargetPercent { get; set; } = 90;
}

public sealed class ConsoleOptions
{
    /// <summary>The console's accounts (`edgemeter-receiver users add`): names, roles, password hashes.</summary>
    public string UsersFile { get; set; } = "users.json";

    /// <summary>How long a sign-in lasts.</summary>
    public int SessionMinutes { get; set; } = 480;

    /// <summary>Mark the console's cookies Secure even over plain HTTP: set it when a reverse proxy ends TLS in front.</summary>
    public bool SecureCookies { get; set; }
}

public sealed class AdminOptions
{
    /// <summary>Kestrel address(es) of /healthz, /metrics and /admin; ';'-separated. Keep it on loopback or a management network.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8480";

    /// <summary>Bearer tokens allowed on /admin; the name is what the audit log records.</summary>
    public List<AdminTokenOptions> Tokens { get; set; } = [];

    /// <summary>Append-only, hash-chained audit log of admin actions.</summary>
    public string AuditLog { get; set; } = "audit.log";

    /// <summary>Certificate for the https:// addresses of Urls: a .pfx (with CertificatePassword) or a PEM certificate with CertificateKeyFile.</summary>
    public string? CertificateFile { get; set; }

    public string? CertificatePassword { get; set; }

    public string? CertificateKeyFile { get; set; }
}

public sealed class AdminTokenOptions
{
    public string Name { get; set; } = "";

    public string Token { get; set; } = "";
}

public sealed class LoggingOptions
{
    /// <summary>"simple" (one line per event) or "json" (structured, one JSON object per line).</summary>
    public string Format { get; set; } = "simple";

    /// <summary>Trace, Debug, Information, Warning, Error.</summary>
    public string Level { get; set; } = "Information";
}
