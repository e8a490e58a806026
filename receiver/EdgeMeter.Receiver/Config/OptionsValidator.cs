using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Platform;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Core.Values;
using EdgeMeter.Receiver.Auth;
using EdgeMeter.Receiver.Relay.Http;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver.Config;

/// <summary>Checks options before anything starts; every problem names the setting, e.g. "Gateways[2].Id: ...".</summary>
public static class OptionsValidator
{
    public static IReadOnlyList<string> Validate(ReceiverOptions options)
    {
        var problems = new List<string>();
        void Problem(string setting, string message) => problems.Add($"{setting}: {message}");

        try
        {
            _ = new MqttTopics(options.TopicPrefix);
        }
        catch (ArgumentException)
        {
            Problem("TopicPrefix", $"'{options.TopicPrefix}' is not a topic prefix (levels without + # or empty levels, not starting with $ or /)");
        }

        if (options.MaxPacketBytes is < 256 or > 65536)
        {
            Problem("MaxPacketBytes", $"{options.MaxPacketBytes} is not 256-65536");
        }

        ValidateStore(options.Store, Problem);
        if (string.IsNullOrWhiteSpace(options.Keys.File))
        {
            Problem("Keys.File", "is required (the key registry file)");
        }

        if (options.Keys.ReloadSeconds < 1)
        {
            Problem("Keys.ReloadSeconds", "must be at least 1");
        }

        ValidateIngest(options.Ingest, Problem);
        var platformNames = ValidatePlatforms(options.Platforms, Problem);
        var enterprises = ValidateEnterprises(options.Enterprises, platformNames, Problem);
        var gateways = ValidateGateways(options, enterprises, platformNames, Problem);
        ValidateAccounts(options.PlatformAccounts, platformNames, Problem);
        if (options.Points.Count > 0)
        {
            Problem("Points", "replaced by Items: the HTTP platforms now receive indicators per data item (docs/indicators.md); give each point's DataCode an item with the point as its term");
        }

        ValidateItems(options, enterprises, Problem);
        ValidateIndicators(options.Indicators, Problem);
        ValidateCredentials(options, Problem);
        PlaceholderSecrets.CheckAll(options, Problem);
        ValidateAdmin(options.Admin, Problem);
        ValidateConsole(options.Console, Problem);
        ValidateLogging(options.Logging, Problem);
        return problems;
    }

    private static void ValidateStore(StoreOptions store, Action<string, string> problem)
    {
        if (!Enum.IsDefined(store.Database))
        {
            problem("Store.Database", $"{store.Database} is not Sqlite or Postgres");
        }
        else if (store.Database == StoreKind.Sqlite && string.IsNullOrWhiteSpace(store.Path))
        {
            problem("Store.Path", "is required (the SQLite database file)");
        }
        else if (store.Database == StoreKind.Postgres)
        {
            ValidateConnectionString(store.ConnectionString, problem);
        }

        if (store.MaxBatch is < 1 or > 10_000)
        {
            problem("Store.MaxBatch", $"{store.MaxBatch} is not 1-10000");
        }

        if (store.ReplayWindow < 0)
        {
            problem("Store.ReplayWindow", "must not be negative (0 turns the check off)");
        }

        var retention = store.Retention;
        if (retention.RawDays is < 0 or > 36500)
        {
            problem("Store.Retention.RawDays", $"{retention.RawDays} is not 0 (keep for ever) or 1-36500");
        }

        if (retention.EveryMinutes is < 1 or > 10080)
        {
            problem("Store.Retention.EveryMinutes", $"{retention.EveryMinutes} is not 1-10080 (a week)");
        }

        if (retention.BatchPackets is < 1 or > 100000)
        {
            problem("Store.Retention.BatchPackets", $"{retention.BatchPackets} is not 1-100000");
        }
    }

    private static void ValidateConnectionString(string? connectionString, Action<string, string> problem)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            problem("Store.ConnectionString", "is required with Database Postgres (\"Host=...;Database=...;Username=...;Password=...\")");
            return;
        }

        try
        {
            var parsed = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host) || string.IsNullOrWhiteSpace(parsed.Database))
            {
                problem("Store.ConnectionString", "names no Host or no Database");
            }
        }
        catch (ArgumentException failure)
        {
            problem("Store.ConnectionString", $"is not a PostgreSQL connection string: {failure.Message}");
        }
    }

    private static void ValidateLimits(BrokerLimits limits, Action<string, string> problem)
    {
        (string Name, int Value, int Min, int Max)[] ranges =
        [
            ("ConnectTimeoutSeconds", limits.ConnectTimeoutSeconds, 1, 300), ("MaxPendingConnections", limits.MaxPendingConnections, 1, 100_000),
            ("MaxPendingPerAddress", limits.MaxPendingPerAddress, 1, 100_000), ("MaxConnectBytes", limits.MaxConnectBytes, 1024, 1_048_576),
            ("MaxPacketBytes", limits.MaxPacketBytes, 4096, 268_435_455), ("FailedLoginsPerAddress", limits.FailedLoginsPerAddress, 1, 100_000),
            ("FailedLoginsPerClient", limits.FailedLoginsPerClient, 1, 100_000), ("QuarantinedPerMinute", limits.QuarantinedPerMinute, 1, 1_000_000),
            ("FloodCoolDownSeconds", limits.FloodCoolDownSeconds, 1, 86_400),
        ];
        foreach (var (name, value, min, max) in ranges.Where(r => r.Value < r.Min || r.Value > r.Max))
        {
            problem($"Ingest.Embedded.Limits.{name}", $"{value} is not {min}-{max}");
        }
    }

    private static void ValidateIngest(IngestOptions ingest, Action<string, string> problem)
    {
        if (!Enum.IsDefined(ingest.Mode))
        {
            problem("Ingest.Mode", "must be Embedded or External");
        }

        if (ingest.Mode == IngestMode.Embedded)
        {
            var embedded = ingest.Embedded;
            if (!System.Net.IPAddress.TryParse(embedded.Address, out _))
            {
                problem("Ingest.Embedded.Address", $"'{embedded.Address}' is not an IP address");
            }

            if (embedded.Port is < 0 or > 65535)
            {
                problem("Ingest.Embedded.Port", $"{embedded.Port} is not 0-65535");
            }

            if (!embedded.PlainEnabled && !embedded.Tls.Enabled)
            {
                problem("Ingest.Embedded", "enable the plain listener, the TLS listener or both");
            }

            if (embedded.Tls.Enabled)
            {
                if (embedded.Tls.Port is < 1 or > 65535)
                {
                    problem("Ingest.Embedded.Tls.Port", $"{embedded.Tls.Port} is not 1-65535");
                }

                if (string.IsNullOrWhiteSpace(embedded.Tls.CertificateFile) || !File.Exists(embedded.Tls.CertificateFile))
                {
                    problem("Ingest.Embedded.Tls.CertificateFile", $"'{embedded.Tls.CertificateFile}' is not an existing .pfx file");
                }
            }

            ValidateLimits(embedded.Limits, problem);
        }
        else
        {
            var external = ingest.External;
            if (string.IsNullOrWhiteSpace(external.Host))
            {
                problem("Ingest.External.Host", "is required");
            }

            if (external.Port is < 1 or > 65535)
            {
                problem("Ingest.External.Port", $"{external.Port} is not 1-65535");
            }

            if (string.IsNullOrWhiteSpace(external.ClientId) || GatewayIdentity.IsGatewayId(external.ClientId))
            {
                problem("Ingest.External.ClientId", $"'{external.ClientId}' must be set and must not look like a gateway id (use a dot: svc.receiver-1)");
            }

            if (external.SharedGroup is { } group && (group.Length == 0 || group.IndexOfAny(['/', '+', '#']) >= 0))
            {
                problem("Ingest.External.SharedGroup", $"'{group}' must be a non-empty name without / + #");
            }

            if (external.InstanceId is { } instance && (instance.Length is 0 or > 40 || !instance.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                problem("Ingest.External.InstanceId", $"'{instance}' must be 1-40 of letters, digits, - and _");
            }
            else if (external.SharedGroup is not null && external.InstanceId is null)
            {
                problem("Ingest.External.InstanceId", "is required with SharedGroup: each receiver of the group its own, stable across restarts (it names the persistent session holding the receiver's share)");
            }

            if (external.CaFile is { } caFile)
            {
                try
                {
                    EdgeMeter.Common.Crypto.CertificateFiles.LoadBundle(caFile);
                }
                catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    problem("Ingest.External.CaFile", failure.Message);
                }

                if (!external.UseTls)
                {
                    problem("Ingest.External.CaFile", "is for a TLS connection; set UseTls");
                }
            }

            if (external.ReceiveMaximum < 1)
            {
                problem("Ingest.External.ReceiveMaximum", "must be at least 1");
            }

            if (external.ReconnectDelayMs < 10)
            {
                problem("Ingest.External.ReconnectDelayMs", "must be at least 10");
            }
        }
    }

    private static HashSet<string> ValidatePlatforms(List<PlatformOptions> platforms, Action<string, string> problem)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < platforms.Count; i++)
        {
            var platform = platforms[i];
            var at = $"Platforms[{i}]";
            if (!IsName(platform.Name))
            {
                problem($"{at}.Name", $"'{platform.Name}' must be 1-40 of letters, digits, - and _");
            }
            else if (!names.Add(platform.Name))
            {
                problem($"{at}.Name", $"'{platform.Name}' is listed twice");
            }

            if ((platform.Http is null) == (platform.Mqtt is null))
            {
                problem(at, "needs exactly one of Http and Mqtt");
            }

            if (platform.BatchSize is < 1 or > 1000)
            {
                problem($"{at}.BatchSize", $"{platform.BatchSize} is not 1-1000");
            }

            if (platform.Parallelism is < 1 or > 64)
            {
                problem($"{at}.Parallelism", $"{platform.Parallelism} is not 1-64");
            }

            if (platform.Retry.InitialDelayMs < 1 || platform.Retry.MaxDelayMs < platform.Retry.InitialDelayMs)
            {
                problem($"{at}.Retry", "need 1 <= InitialDelayMs <= MaxDelayMs");
            }

            if (platform.Http is { } http)
            {
                if (!Uri.TryCreate(http.BaseAddress, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
                {
                    problem($"{at}.Http.BaseAddress", $"'{http.BaseAddress}' is not an http(s) address");
                }

                if (http.MaxBatchSize < 1 || http.CallTimeoutSeconds < 1)
                {
                    problem($"{at}.Http", "MaxBatchSize and CallTimeoutSeconds must be at least 1");
                }

                PlatformTransport.Check(http, $"{at}.Http", problem);
            }

            if (platform.Mqtt is { } mqtt)
            {
                if (string.IsNullOrWhiteSpace(mqtt.Host))
                {
                    problem($"{at}.Mqtt.Host", "is required");
                }

                if (mqtt.Port is < 1 or > 65535)
                {
                    problem($"{at}.Mqtt.Port", $"{mqtt.Port} is not 1-65535");
                }

                if (string.IsNullOrWhiteSpace(mqtt.ClientId))
                {
                    problem($"{at}.Mqtt.ClientId", "is required");
                }

                try
                {
                    _ = new MqttTopics(mqtt.TopicPrefix);
                }
                catch (ArgumentException)
                {
                    problem($"{at}.Mqtt.TopicPrefix", $"'{mqtt.TopicPrefix}' is not a topic prefix");
                }
            }
        }

        return names;
    }

    private static Dictionary<string, EnterpriseOptions> ValidateEnterprises(
        List<EnterpriseOptions> enterprises, HashSet<string> platforms, Action<string, string> problem)
    {
        var byCode = new Dictionary<string, EnterpriseOptions>(StringComparer.Ordinal);
        for (var i = 0; i < enterprises.Count; i++)
        {
            var enterprise = enterprises[i];
            if (CreditCode.Problem(enterprise.Code) is { } invalid)
            {
                problem($"Enterprises[{i}].Code", invalid);
            }
            else if (!byCode.TryAdd(enterprise.Code, enterprise))
            {
                problem($"Enterprises[{i}].Code", $"'{enterprise.Code}' is listed twice");
            }

            ValidatePlatformList(enterprise.Platforms, platforms, $"Enterprises[{i}].Platforms", problem);
        }

        return byCode;
    }

    private static HashSet<string> ValidateGateways(
        ReceiverOptions options, Dictionary<string, EnterpriseOptions> enterprises, HashSet<string> platforms, Action<string, string> problem)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Gateways.Count; i++)
        {
            var gateway = options.Gateways[i];
            var at = $"Gateways[{i}]";
            if (!GatewayIdentity.IsGatewayId(gateway.Id))
            {
                problem($"{at}.Id", $"'{gateway.Id}' is not a gateway id (1-64 of A-Z a-z 0-9 _ -)");
            }
            else if (!ids.Add(gateway.Id))
            {
                problem($"{at}.Id", $"'{gateway.Id}' is listed twice");
            }

            if (!enterprises.ContainsKey(gateway.Enterprise))
            {
                problem($"{at}.Enterprise", $"'{gateway.Enterprise}' is not one of Enterprises[].Code");
            }

            if (gateway.Platforms is { } own)
            {
                ValidatePlatformList(own, platforms, $"{at}.Platforms", problem);
            }

            if (options.Ingest.Mode == IngestMode.Embedded)
            {
                ValidateSecret(gateway.Password, gateway.PasswordHash, at, problem);
            }
        }

        return ids;
    }

    private static void ValidateAccounts(List<PlatformAccountOptions> accounts, HashSet<string> platforms, Action<string, string> problem)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < accounts.Count; i++)
        {
            var account = accounts[i];
            var at = $"PlatformAccounts[{i}]";
            if (!IsServiceAccountName(account.Username))
            {
                problem($"{at}.Username", $"'{account.Username}' must contain a dot (so it can never be a gateway id) and no / + # $ or spaces");
            }
            else if (!names.Add(account.Username))
            {
                problem($"{at}.Username", $"'{account.Username}' is listed twice");
            }

            ValidateSecret(account.Password, account.PasswordHash, at, problem);
            if (account.Push is { } push)
            {
                ValidatePush(push, $"{at}.Push", account.Username, platforms, problem);
            }
        }
    }

    private static void ValidatePush(PlatformPushOptions push, string at, string account, HashSet<string> platforms, Action<string, string> problem)
    {
        if (!platforms.Contains(push.Platform))
        {
            problem($"{at}.Platform", $"'{push.Platform}' is not a configured platform (the one whose gateways the account may reach)");
        }

        try
        {
            Pushes.PlatformPushKey.Load(account, push);
        }
        catch (Exception failure) when (failure is FormatException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            var setting = new[] { "PublicKeyFile", "Secret", "Algorithm" }.FirstOrDefault(name => failure.Message.Contains(name, StringComparison.Ordinal));
            problem(setting is null ? at : $"{at}.{setting}", failure.Message);
        }
    }

    private static void ValidateItems(ReceiverOptions options, Dictionary<string, EnterpriseOptions> enterprises, Action<string, string> problem)
    {
        var gateways = options.Gateways.ToDictionary(g => g.Id, g => g.Enterprise, StringComparer.Ordinal);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Items.Count; i++)
        {
            var item = options.Items[i];
            var at = $"Items[{i}]";
            if (DataCode.Validate(item.DataCode) is { } dataCodeProblem)
            {
                problem($"{at}.DataCode", dataCodeProblem);
            }
            else if (!codes.Add($"{item.Enterprise}/{item.DataCode}"))
            {
                problem($"{at}.DataCode", $"{item.DataCode} is configured twice for enterprise {item.Enterprise}");
            }

            if (!enterprises.ContainsKey(item.Enterprise))
            {
                problem($"{at}.Enterprise", $"'{item.Enterprise}' is not one of Enterprises[].Code");
            }

            if (!Enum.IsDefined(item.Kind))
            {
                problem($"{at}.Kind", "must be Consumption, Register, Average or Instant");
            }

            if (string.IsNullOrWhiteSpace(item.Unit) || !PayloadRules.IsUnit(item.Unit))
            {
                problem($"{at}.Unit", $"'{item.Unit}' must be 1-16 printable characters, e.g. kWh");
            }

            if (!FixedDecimal.TryParse(item.ConvertRation, out var ration) || ration.Sign < 0)
            {
                problem($"{at}.ConvertRation", $"'{item.ConvertRation}' is not a non-negative exact decimal such as \"0.1229\"");
            }

            if (!Enum.IsDefined(item.Scope) || !Enum.IsDefined(item.InputType))
            {
                problem(at, "Scope (1-4) and InputType (1-5) must be in their code lists");
            }

            if (!Indicators.BeijingCalendar.IntervalChoices.Contains(item.IntervalMinutes))
            {
                problem($"{at}.IntervalMinutes", $"{item.IntervalMinutes} is not 15, 30 or 60");
            }

            if (item.Terms.Count == 0)
            {
                problem($"{at}.Terms", "needs at least one term (gateway, meter, point)");
            }

            for (var t = 0; t < item.Terms.Count; t++)
            {
                ValidateTerm(item, item.Terms[t], $"{at}.Terms[{t}]", gateways, problem);
            }
        }
    }

    private static void ValidateTerm(ItemOptions item, TermOptions term, string at, Dictionary<string, string> gateways, Action<string, string> problem)
    {
        if (!gateways.TryGetValue(term.Gateway, out var enterprise))
        {
            problem($"{at}.Gateway", $"'{term.Gateway}' is not one of Gateways[].Id");
        }
        else if (enterprise != item.Enterprise)
        {
            problem($"{at}.Gateway", $"'{term.Gateway}' belongs to enterprise {enterprise}, not to the item's {item.Enterprise}");
        }

        if (!PayloadRules.IsIdentifier(term.Meter) || !PayloadRules.IsIdentifier(term.Point))
        {
            problem($"{at}.Meter/Point", $"'{term.Meter}'/'{term.Point}' must be identifiers (1-32 of A-Z a-z 0-9 _ - . :)");
        }

        if (!FixedDecimal.TryParse(term.Factor, out var factor) || factor.IsZero)
        {
            problem($"{at}.Factor", $"'{term.Factor}' is not a non-zero exact decimal such as \"1\", \"-1\" or \"0.5\"");
        }

        var consumptionOnly = new[] { ("RegisterMax", term.RegisterMax), ("MaxDemand", term.MaxDemand), ("PowerPoint", term.PowerPoint) };
        foreach (var (name, value) in consumptionOnly.Where(s => s.Item2 is not null && item.Kind != Indicators.ItemKind.Consumption))
        {
            problem($"{at}.{name}", $"applies to Consumption items only (this item is {item.Kind})");
        }

        foreach (var (name, value) in consumptionOnly.Take(2).Where(s => s.Item2 is not null))
        {
            if (!FixedDecimal.TryParse(value!, out var number) || number.Sign <= 0)
            {
                problem($"{at}.{name}", $"'{value}' is not a positive exact decimal");
            }
        }

        if (term.PowerPoint is { } power && !PayloadRules.IsIdentifier(power))
        {
            problem($"{at}.PowerPoint", $"'{power}' must be an identifier");
        }
    }

    private static void ValidateIndicators(IndicatorOptions indicators, Action<string, string> problem)
    {
        if (indicators.GraceMinutes is < 0 or > 1440)
        {
            problem("Indicators.GraceMinutes", $"{indicators.GraceMinutes} is not 0-1440");
        }

        if (indicators.FinalAfterMinutes < Math.Max(1, indicators.GraceMinutes) || indicators.FinalAfterMinutes > 44640)
        {
            problem("Indicators.FinalAfterMinutes", $"{indicators.FinalAfterMinutes} must be from GraceMinutes (at least 1) to 44640 (31 days)");
        }

        if (indicators.MaxInterpolationMinutes is < 1 or > 10080)
        {
            problem("Indicators.MaxInterpolationMinutes", $"{indicators.MaxInterpolationMinutes} is not 1-10080");
        }

        if (indicators.CompletenessTargetPercent is < 1 or > 100)
        {
            problem("Indicators.CompletenessTargetPercent", $"{indicators.CompletenessTargetPercent} is not 1-100");
        }
    }

    // Every HTTP platform needs a password for every enterprise routed to it.
    private static void ValidateCredentials(ReceiverOptions options, Action<string, string> problem)
    {
        var routing = Routing.From(options);
        for (var i = 0; i < options.Platforms.Count; i++)
        {
            if (options.Platforms[i].Http is not { } http)
            {
                continue;
            }

            foreach (var enterprise in routing.EnterprisesOf(options.Platforms[i].Name))
            {
                if (!http.EnterprisePasswords.TryGetValue(enterprise, out var password) || string.IsNullOrEmpty(password))
                {
                    problem($"Platforms[{i}].Http.EnterprisePasswords", $"no password for enterprise '{enterprise}', routed to '{options.Platforms[i].Name}'");
                }
            }
        }
    }

    private static void ValidateAdmin(AdminOptions admin, Action<string, string> problem)
    {
        var urls = admin.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0 || urls.Any(url => !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            problem("Admin.Urls", $"'{admin.Urls}' must be one or more http:// or https:// addresses separated by ';' (loopback or a management network)");
        }

        var https = urls.Any(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (https && string.IsNullOrWhiteSpace(admin.CertificateFile))
        {
            problem("Admin.CertificateFile", "is required for the https:// addresses in Admin.Urls");
        }
        else if (admin.CertificateFile is { } certificate)
        {
            try
            {
                CertificateFiles.LoadWithKey(certificate, admin.CertificatePassword, admin.CertificateKeyFile).Dispose();
            }
            catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                problem(admin.CertificateKeyFile is null ? "Admin.CertificateFile" : "Admin.CertificateFile/CertificateKeyFile", failure.Message);
            }
        }

        if (admin.CertificateFile is null && (admin.CertificateKeyFile is not null || admin.CertificatePassword is not null))
        {
            problem("Admin.CertificateKeyFile", "CertificateKeyFile and CertificatePassword need CertificateFile");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < admin.Tokens.Count; i++)
        {
            if (!IsName(admin.Tokens[i].Name.Replace('.', '_')) || !names.Add(admin.Tokens[i].Name))
            {
                problem($"Admin.Tokens[{i}].Name", $"'{admin.Tokens[i].Name}' must be a unique name of letters, digits, . - _");
            }

            if (admin.Tokens[i].Token.Length < 16)
            {
                problem($"Admin.Tokens[{i}].Token", "must be at least 16 characters (use a random value)");
            }
        }

        if (string.IsNullOrWhiteSpace(admin.AuditLog))
        {
            problem("Admin.AuditLog", "is required");
        }
    }

    private static void ValidateConsole(ConsoleOptions console, Action<string, string> problem)
    {
        if (console.SessionMinutes is < 1 or > 10080)
        {
            problem("Console.SessionMinutes", $"{console.SessionMinutes} is not 1-10080 (a week)");
        }

        if (string.IsNullOrWhiteSpace(console.UsersFile))
        {
            problem("Console.UsersFile", "is required");
        }
    }

    private static void ValidateLogging(LoggingOptions logging, Action<string, string> problem)
    {
        if (logging.Format is not ("simple" or "json"))
        {
            problem("Logging.Format", $"'{logging.Format}' is not simple or json");
        }

        if (!Enum.TryParse<LogLevel>(logging.Level, ignoreCase: true, out _))
        {
            problem("Logging.Level", $"'{logging.Level}' is not Trace, Debug, Information, Warning, Error or Critical");
        }
    }

    private static void ValidatePlatformList(List<string> list, HashSet<string> platforms, string at, Action<string, string> problem)
    {
        foreach (var name in list.Where(name => !platforms.Contains(name)))
        {
            problem(at, $"'{name}' is not one of Platforms[].Name");
        }
    }

    private static void ValidateSecret(string? password, string? hash, string at, Action<string, string> problem)
    {
        if (string.IsNullOrEmpty(password) == string.IsNullOrEmpty(hash))
        {
            problem(at, "needs exactly one of Password and PasswordHash");
        }
        else if (hash is { Length: > 0 } && !PasswordHash.IsWellFormed(hash))
        {
            problem($"{at}.PasswordHash", "is not pbkdf2-sha256$iterations$salt$hash (make one with `edgemeter-receiver hash-password`)");
        }
    }

    internal static bool IsServiceAccountName(string name) =>
        name is { Length: > 0 and <= 64 } && name.Contains('.') && name[0] != '$'
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    private static bool IsName(string name) =>
        name is { Length: > 0 and <= 40 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
