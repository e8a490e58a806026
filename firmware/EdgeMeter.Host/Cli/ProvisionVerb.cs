using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeMeter.Common.Cli;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Common.Keys;
using EdgeMeter.Common.Platform;
using EdgeMeter.Core.Keys;
using EdgeMeter.Pc.Cli;

namespace EdgeMeter.Host.Cli;

/// <summary>
/// `edgemeter provision --gateway ID [--board TARGET] [--enterprise CODE] --out DIR`: creates a gateway's HMAC key,
/// its broker password and starter configuration, the deploy.json that `nanoff --filedeployment` uploads to the
/// board's I: drive, the receiver's key-registry entry, and the receiver's bundle (`edgemeter-receiver gateways
/// import`). Secrets go to files only (0600), never to the terminal. Refuses to replace an existing key unless --force.
/// </summary>
public static partial class ProvisionVerb
{
    /// <summary>Where the files land on the board: the firmware's DevicePaths (a Host test keeps them equal).</summary>
    public const string DeviceRoot = "I:\\edgemeter";
    public const string DeviceConfig = DeviceRoot + "\\gateway.json";
    public const string DeviceKeyFile = DeviceRoot + "\\key.json";
    public const string DeviceBoardFile = DeviceRoot + "\\board.txt";
    public const string DeviceCaFile = DeviceRoot + "\\ca.pem";
    public const string DeviceReleaseKeyFile = DeviceRoot + "\\release-key.json";

    public const int KeyBytes = 32;

    /// <summary>The boards of nf-boards.md section 2, and whether the firmware for each brings up Ethernet.</summary>
    public static readonly IReadOnlyDictionary<string, bool> Boards = new Dictionary<string, bool>
    {
        ["ESP32_REV3"] = false,
        ["ESP32_PSRAM_REV3"] = false,
        ["ESP32_WT32_ETH01"] = true,
        ["ESP32_ETHERNET_KIT_1.2"] = true,
        ["ESP32_OLIMEX"] = true,
        ["ESP32_S3_OCTAL"] = false,
    };

    public static Command Create(CliConsole console)
    {
        var gateway = new Option<string>("--gateway") { Description = "Gateway id: 1-32 of a-z, 0-9 and '-', starting with a letter or digit.", Required = true };
        var board = new Option<string?>("--board") { Description = "nanoFramework target of the board (nf-boards.md), stored on the device as its pin map." };
        var output = new Option<string>("--out") { Description = "Directory to write the provisioning files into.", Required = true };
        var keyVersion = new Option<int>("--key-version") { Description = "Version of the new key (packets carry kid = gateway.version).", DefaultValueFactory = _ => 1 };
        var mqttHost = new Option<string?>("--mqtt-host") { Description = "Broker host for the starter configuration." };
        var mqttPort = new Option<int?>("--mqtt-port") { Description = "Broker port (default 8883 with --tls, else 1883)." };
        var tls = new Option<bool>("--tls") { Description = "Connect to the broker with TLS." };
        var ca = new Option<string?>("--ca") { Description = "PEM file of the CA that signs the broker's certificate; deployed to the board." };
        var wifiSsid = new Option<string?>("--wifi-ssid") { Description = "Wi-Fi network (default: the one stored with nanoff --networkdeployment)." };
        var wifiPassword = new Option<string?>("--wifi-password") { Description = "Wi-Fi password." };
        var releaseKey = new Option<string?>("--release-key") { Description = "The fleet's release key file (key-file format, one entry) that signs firmware-update manifests; deployed to the board." };
        var serialPort = new Option<string?>("--serial-port") { Description = "Serial port to put into deploy.json (it then overrides nanoff's --serialport)." };
        var force = new Option<bool>("--force") { Description = "Replace an existing key (the old key stops verifying this gateway's new packets)." };
        var enterprise = new Option<string?>("--enterprise") { Description = "The enterprise (unified social credit code) the gateway belongs to, for the receiver's bundle." };
        var from = new Option<string?>("--from") { Description = "Start from this configuration (buses and meters) instead of the example: its gateway id, key version and broker credentials are replaced." };

        var command = new Command("provision", "Create a gateway's key, starter configuration and nanoff file-deployment list.");
        foreach (var option in new Option[] { gateway, board, output, keyVersion, mqttHost, mqttPort, tls, ca, wifiSsid, wifiPassword, releaseKey, serialPort, force, enterprise, from })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Run(console, new Request(
            parse.GetValue(gateway)!,
            parse.GetValue(board),
            parse.GetValue(output)!,
            parse.GetValue(keyVersion),
            parse.GetValue(mqttHost),
            parse.GetValue(mqttPort),
            parse.GetValue(tls),
            parse.GetValue(ca),
            parse.GetValue(wifiSsid),
            parse.GetValue(wifiPassword),
            parse.GetValue(releaseKey),
            parse.GetValue(serialPort),
            parse.GetValue(force),
            parse.GetValue(enterprise),
            parse.GetValue(from))));
        return command;
    }

    private static int Run(CliConsole console, Request request)
    {
        Validate(request);
        var outDir = Path.GetFullPath(request.Out);
        var deviceDir = Path.Combine(outDir, "device");
        var keyPath = Path.Combine(deviceDir, "key.json");
        var configPath = Path.Combine(deviceDir, "gateway.json");
        if (File.Exists(keyPath) && !request.Force)
        {
            throw new CliException($"{keyPath} already exists; pass --force to replace the gateway's key", ExitCodes.Failure);
        }

        // A configuration kept from an earlier run keeps its broker password: check it before anything is written.
        var keptPassword = File.Exists(configPath) && !request.Force ? ExistingPassword(configPath) : null;
        Directory.CreateDirectory(deviceDir);
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var keyFile = KeyFileJson(request.Gateway, request.KeyVersion, key);
        var written = new List<string>();
        var files = new JsonArray();

        WriteSecret(keyPath, keyFile);
        files.Add(Deploy(DeviceKeyFile, keyPath));
        written.Add($"{keyPath}  (HMAC key {request.Gateway}.{request.KeyVersion}, for the board)");

        var mqttPassword = keptPassword ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        if (keptPassword is null)
        {
            WriteSecret(configPath, StarterConfig(request, mqttPassword).ToJsonString(Indented) + "\n");
            written.Add($"{configPath}  (configuration with a new broker password{(request.From is null ? ": edit the buses and meters" : $", from {request.From}")})");
        }
        else
        {
            written.Add($"{configPath}  (kept as it was, with its broker password)");
        }

        files.Add(Deploy(DeviceConfig, configPath));

        if (request.Board != null)
        {
            var boardPath = Path.Combine(deviceDir, "board.txt");
            File.WriteAllText(boardPath, request.Board + "\n");
            files.Add(Deploy(DeviceBoardFile, boardPath));
            written.Add($"{boardPath}  (board {request.Board})");
        }

        if (request.Ca != null)
        {
            var caPath = Path.Combine(deviceDir, "ca.pem");
            File.Copy(Path.GetFullPath(request.Ca), caPath, overwrite: true);
            files.Add(Deploy(DeviceCaFile, caPath));
            written.Add($"{caPath}  (broker CA)");
        }

        if (request.ReleaseKey != null)
        {
            var releasePath = Path.Combine(deviceDir, "release-key.json");
            WriteSecret(releasePath, File.ReadAllText(request.ReleaseKey));
            files.Add(Deploy(DeviceReleaseKeyFile, releasePath));
            written.Add($"{releasePath}  (release key: the board accepts firmware-update manifests it signs)");
        }

        var deploy = new JsonObject();
        if (request.SerialPort != null)
        {
            deploy["SerialPort"] = request.SerialPort;
        }

        deploy["Files"] = files;
        var deployPath = Path.Combine(outDir, "deploy.json");
        File.WriteAllText(deployPath, deploy.ToJsonString(Indented) + "\n");
        written.Add($"{deployPath}  (for nanoff --filedeployment)");

        var receiverPath = Path.Combine(outDir, "receiver-key.json");
        WriteSecret(receiverPath, keyFile);
        written.Add($"{receiverPath}  (the receiver's key-registry entry)");
        var bundlePath = Path.Combine(outDir, "receiver-bundle.json");
        new GatewayBundle(request.Gateway, request.Enterprise, PasswordHash.Create(mqttPassword), [new KeyEntry(request.Gateway, request.KeyVersion, key)]).Write(bundlePath);
        written.Add($"{bundlePath}  (for the receiver: edgemeter-receiver gateways import)");

        console.Out.WriteLine($"provisioned gateway {request.Gateway} (key version {request.KeyVersion}):");
        foreach (var line in written)
        {
            console.Out.WriteLine("  " + line);
        }

        console.Out.WriteLine("next, with the board running nanoCLR (reset it and wait a few seconds):");
        console.Out.WriteLine($"  nanoff --filedeployment \"{deployPath}\"" + (request.SerialPort == null ? " --serialport <PORT>" : ""));
        console.Out.WriteLine("  then check that every file line ends in OK (nanoff exits 0 even when an upload fails),");
        console.Out.WriteLine($"  on the receiver: edgemeter-receiver gateways import --config receiver.json{(request.Enterprise is null ? " --enterprise <CODE>" : "")} \"{bundlePath}\"");
        console.Out.WriteLine("  Keep the key files, the bundle and the device configuration secret.");
        return ExitCodes.Ok;
    }

    private static void Validate(Request request)
    {
        if (!GatewayIdPattern().IsMatch(request.Gateway))
        {
            throw new CliException(
                $"gateway id '{request.Gateway}' is not valid: use 1-32 of a-z, 0-9 and '-', starting with a letter or digit",
                ExitCodes.Usage);
        }

        if (request.Enterprise != null && CreditCode.Problem(request.Enterprise) is { } invalid)
        {
            throw new CliException($"--enterprise {invalid}", ExitCodes.Usage);
        }

        if (request.Board != null && !Boards.ContainsKey(request.Board))
        {
            throw new CliException(
                $"board '{request.Board}' is not in the pin table; use one of {string.Join(", ", Boards.Keys)}", ExitCodes.Usage);
        }

        if (request.KeyVersion < 0 || request.KeyVersion > 65535)
        {
            throw new CliException("--key-version must be 0-65535", ExitCodes.Usage);
        }

        if (request.MqttPort is < 1 or > 65535)
        {
            throw new CliException("--mqtt-port must be 1-65535", ExitCodes.Usage);
        }

        if (request.From != null && !File.Exists(request.From))
        {
            throw new CliException($"--from: {request.From} does not exist", ExitCodes.Usage);
        }

        if (request.Ca != null && !File.Exists(request.Ca))
        {
            throw new CliException($"--ca: {request.Ca} does not exist", ExitCodes.Usage);
        }

        if (request.ReleaseKey != null)
        {
            var bytes = File.Exists(request.ReleaseKey) ? File.ReadAllBytes(request.ReleaseKey) : null;
            var entries = 0;
            var error = "it does not exist";
            if (bytes == null || !PacketKeyFile.TryRead(bytes, 0, bytes.Length, (_, _, _) => entries++, out error) || entries != 1)
            {
                throw new CliException($"--release-key: {request.ReleaseKey} must be a key file with exactly one key ({(entries > 1 ? "it has " + entries : error)})", ExitCodes.Usage);
            }
        }
    }

    /// <summary>The key file format of docs/packet-format.md (read by PacketKeyFile), holding this one key.</summary>
    private static string KeyFileJson(string gatewayId, int keyVersion, byte[] key)
    {
        var entry = new JsonObject
        {
            [PacketKeyFile.GatewayIdMember] = gatewayId,
            [PacketKeyFile.KeyVersionMember] = keyVersion,
            [PacketKeyFile.KeyMember] = Convert.ToHexStringLower(key),
        };
        return new JsonObject { [PacketKeyFile.KeysMember] = new JsonArray(entry) }.ToJsonString(Indented) + "\n";
    }

    /// <summary>A configuration that passes docs/schema/gateway-config.schema.json; its meter is an example to replace.</summary>
    private static JsonObject StarterConfig(Request request, string mqttPassword) =>
        request.From is { } template ? FromTemplate(request, template, mqttPassword) : ExampleConfig(request, mqttPassword);

    // The technician's own configuration with this gateway's identity and broker credentials in it; of the other
    // options only those given change it (a template's TLS is never turned off).
    private static JsonObject FromTemplate(Request request, string template, string mqttPassword)
    {
        JsonObject config;
        try
        {
            config = JsonNode.Parse(File.ReadAllText(template)) as JsonObject ?? throw new CliException($"--from {template}: not a JSON object", ExitCodes.Usage);
        }
        catch (JsonException failure)
        {
            throw new CliException($"--from {template}: not JSON: {failure.Message}", ExitCodes.Usage);
        }

        config["gatewayId"] = request.Gateway;
        config["keyVersion"] = request.KeyVersion;
        var mqtt = config["mqtt"] as JsonObject ?? new JsonObject();
        config["mqtt"] = mqtt;
        mqtt["username"] = request.Gateway;
        mqtt["password"] = mqttPassword;
        Set(mqtt, "host", request.MqttHost);
        Set(mqtt, "port", request.MqttPort);
        if (request.Tls)
        {
            mqtt["tls"] = true;
        }

        Set(mqtt, "caFile", request.Ca is null ? null : DeviceCaFile);
        if (request.WifiSsid is not null && config["network"] is JsonObject network)
        {
            network["wifiSsid"] = request.WifiSsid;
            network["wifiPassword"] = request.WifiPassword ?? "";
        }

        return config;
    }

    private static void Set(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }

    private static void Set(JsonObject json, string name, int? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }

    private static JsonObject ExampleConfig(Request request, string mqttPassword)
    {
        var ethernet = request.Board != null && Boards[request.Board];
        var network = new JsonObject { ["mode"] = ethernet ? "ethernet" : "wifi" };
        if (!ethernet && request.WifiSsid != null)
        {
            network["wifiSsid"] = request.WifiSsid;
            network["wifiPassword"] = request.WifiPassword ?? "";
        }

        var mqtt = new JsonObject
        {
            ["host"] = request.MqttHost ?? "receiver.invalid",
            ["port"] = request.MqttPort ?? (request.Tls ? 8883 : 1883),
            ["tls"] = request.Tls,
            ["username"] = request.Gateway,
            ["password"] = mqttPassword,
        };
        if (request.Ca != null)
        {
            mqtt["caFile"] = DeviceCaFile;
        }

        return new JsonObject
        {
            ["schema"] = 1,
            ["gatewayId"] = request.Gateway,
            ["keyVersion"] = request.KeyVersion,
            ["network"] = network,
            ["mqtt"] = mqtt,
            ["buses"] = new JsonArray(new JsonObject { ["id"] = "bus1", ["uart"] = "COM2", ["baud"] = 2400, ["parity"] = "even", ["stopBits"] = 1 }),
            ["meters"] = new JsonArray(new JsonObject
            {
                ["id"] = "example-meter",
                ["bus"] = "bus1",
                ["protocol"] = "dlt645",
                ["address"] = "000000000001",
                ["pollSeconds"] = 900,
                ["points"] = new JsonArray(new JsonObject { ["id"] = "energy", ["di"] = "00010000" }),
            }),
        };
    }

    // A configuration kept from an earlier run keeps its broker password: the bundle must match it.
    private static string ExistingPassword(string configPath)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(configPath))?["mqtt"]?["password"] is JsonValue value && value.TryGetValue<string>(out var password) && password.Length > 0
                ? password
                : throw new CliException($"{configPath} has no mqtt.password; pass --force to write a new configuration", ExitCodes.Failure);
        }
        catch (JsonException failure)
        {
            throw new CliException($"{configPath}: not JSON ({failure.Message}); pass --force to write a new configuration", ExitCodes.Failure);
        }
    }

    private static JsonObject Deploy(string destination, string source) =>
        new() { ["DestinationFilePath"] = destination, ["SourceFilePath"] = Path.GetFullPath(source) };

    // Created 0600 (never readable by others, not even for a moment), or narrowed to 0600 when it existed.
    private static void WriteSecret(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex GatewayIdPattern();

    private sealed record Request(
        string Gateway,
        string? Board,
        string Out,
        int KeyVersion,
        string? MqttHost,
        int? MqttPort,
        bool Tls,
        string? Ca,
        string? WifiSsid,
        string? WifiPassword,
        string? ReleaseKey,
        string? SerialPort,
        bool Force,
        string? Enterprise,
        string? From);
}
