using System.Collections;
using EdgeMeter.Core.Json;
using EdgeMeter.Core.Keys;
using EdgeMeter.Core.Packet;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Config;

/// <summary>
/// Reads and validates a gateway configuration file. Every problem is reported with its JSON path; a file with
/// any problem yields no configuration, so nothing ever starts half-configured.
/// </summary>
public static class GatewayConfigReader
{
    private static readonly string[] RootMembers =
        { "$schema", "schema", "gatewayId", "keyVersion", "network", "mqtt", "buses", "meters", "upload", "buffer", "time" };

    private static readonly string[] NetworkMembers = { "mode", "wifiSsid", "wifiPassword" };
    private static readonly string[] MqttMembers =
        { "host", "port", "tls", "caFile", "clientCertFile", "username", "password", "topicPrefix", "keepAliveSeconds" };

    private static readonly string[] BusMembers = { "id", "link", "uart", "modbusTcp", "maxOutstanding", "baud", "parity", "stopBits", "txPin", "rxPin", "dePin" };
    private static readonly string[] MeterMembers =
        { "id", "bus", "protocol", "address", "unit", "meterType", "diOrder", "pollSeconds", "timeoutMs", "retries", "timeSync", "timeByteOrder", "points" };

    private static readonly string[] PointMembers =
        { "id", "dataCode", "ratio", "di", "register", "function", "type", "wordOrder", "decimals", "field", "unit" };

    private const int MaxMeters = 64;

    /// <summary>The largest ratio accepted: a 50,000/5 A CT on a 35 kV/100 V VT is 3,500,000.</summary>
    private const long MaxRatio = 100_000_000;

    private static readonly string[] UploadMembers = { "intervalSeconds", "maxReadingsPerPacket", "maxPacketBytes", "payloadVersion", "statusIntervalSeconds" };
    private static readonly string[] BufferMembers = { "budgetBytes" };
    private static readonly string[] TimeMembers = { "ntpServer", "meterSyncHours", "utcOffsetMinutes" };
    private static readonly string[] NetworkModes = { "host", "wifi", "ethernet" };
    private static readonly string[] Uarts = { "COM2", "COM3" };
    private static readonly string[] Parities = { "none", "even", "odd" };
    private static readonly string[] Protocols = { "dlt645", "dlt645-1997", "modbus", "cjt188" };
    private static readonly string[] DiOrders = { "901F", "1F90" };
    private static readonly string[] ByteOrders = { "standard", "reversed" };
    private static readonly int[] Bauds = { 1200, 2400, 4800, 9600, 19200, 38400, 115200 };
    private static readonly int[] PollIntervals = { 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600 };
    private static readonly int[] StopBitChoices = { 1, 2 };

    /// <summary>
    /// Parses <paramref name="json"/>. Returns the configuration, or null with every problem in
    /// <paramref name="errors"/> as "JSON path: what is wrong".
    /// </summary>
    public static GatewayConfig? Read(byte[] json, int count, out string[] errors) => Read(new ArrayByteSource(json, count), out errors);

    /// <summary>
    /// Reads a configuration file in pieces: the meters one at a time (<see cref="MetersSplit"/>), the rest of the file
    /// beside them, so that a board never holds the whole file, its tokens and the whole configuration at once. A file
    /// that cannot be split, or a piece that is not valid JSON, is read whole instead: the errors are the same either way.
    /// </summary>
    public static GatewayConfig? Read(IByteSource source, out string[] errors)
    {
        var split = MetersSplit.Find(source);
        if (split != null && TryReadSplit(source, split, out var config, out errors))
        {
            return config;
        }

        return ReadWhole(source, out errors);
    }

    /// <summary>Reads the whole file with one reader (the way every file was read before it could be split).</summary>
    internal static GatewayConfig? ReadWhole(IByteSource source, out string[] errors)
    {
        var json = source is ArrayByteSource array ? array.Bytes : ReadAll(source);
        var reader = ReaderFor(json, source.Length);
        var parse = reader.Parse(json, 0, source.Length);
        if (parse != JsonError.None)
        {
            errors = new[] { "$: not valid JSON (" + JsonErrorText(parse) + " at byte " + reader.ErrorOffset + ")" };
            return null;
        }

        return Build(reader, new WholeMeters(), out errors);
    }

    // False when a piece is not valid JSON: the caller reads the whole file then.
    private static bool TryReadSplit(IByteSource source, MetersSplit split, out GatewayConfig? config, out string[] errors)
    {
        config = null;
        errors = new string[0];
        // The file without the meters array's content: everything but the meters, with "meters":[] where they were.
        var skeleton = new byte[source.Length - (split.InnerEnd - split.InnerStart)];
        source.Read(0, skeleton, 0, split.InnerStart);
        source.Read(split.InnerEnd, skeleton, split.InnerStart, source.Length - split.InnerEnd);
        var reader = ReaderFor(skeleton, skeleton.Length);
        var meters = new SplitMeters(source, split);
        if (reader.Parse(skeleton, 0, skeleton.Length) != JsonError.None || reader.Kind(0) != JsonKind.Object || !meters.AllParse())
        {
            return false;
        }

        config = Build(reader, meters, out errors);
        return true;
    }

    private static byte[] ReadAll(IByteSource source)
    {
        var bytes = new byte[source.Length];
        source.Read(0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static GatewayConfig? Build(JsonReader reader, MeterElements meters, out string[] errors)
    {
        var list = new ArrayList();
        var notes = new ArrayList();
        var root = new ConfigNode(reader, 0, "$", list, notes, new ArrayList());
        if (!root.IsObject)
        {
            errors = new[] { "$: must be a JSON object" };
            return null;
        }

        var config = ReadRoot(root, meters);
        config.Notes = new string[notes.Count];
        notes.CopyTo(config.Notes);
        errors = new string[list.Count];
        list.CopyTo(errors);
        return errors.Length == 0 ? config : null;
    }

    /// <summary>
    /// The reader <see cref="Read"/> parses <paramref name="json"/> with: its tables and text pool sized by what the file
    /// holds (counted first), not by one token and one character per byte, since on a board they are most of what
    /// start-up allocates.
    /// </summary>
    public static JsonReader ReaderFor(byte[] json, int count) =>
        new JsonReader(count + 16, JsonReader.CountTokens(json, 0, count), 16, JsonReader.CountText(json, 0, count));

    private static GatewayConfig ReadRoot(ConfigNode root, MeterElements meterElements)
    {
        root.RejectUnknown(RootMembers);
        root.Integer("schema", GatewayConfig.SchemaVersion, GatewayConfig.SchemaVersion, 1, true);
        var config = new GatewayConfig
        {
            GatewayId = root.String("gatewayId", true, ""),
            KeyVersion = (int)root.Integer("keyVersion", 0, GatewayIdentity.MaxKeyVersion, 1, true),
        };
        if (config.GatewayId.Length > 0 && !GatewayIdentity.IsGatewayId(config.GatewayId))
        {
            root.Error("gatewayId", "must be 1-64 of A-Z a-z 0-9 _ - (found \"" + config.GatewayId + "\")");
        }

        ReadNetwork(root.Object("network", false), config.Network);
        ReadMqtt(root.Object("mqtt", true), config);
        config.Buses = ReadBuses(root, config.Network.Mode);
        config.Meters = ReadMeters(root, config, meterElements);
        ReadUpload(root.Object("upload", false), config.Upload);
        var buffer = root.Object("buffer", false);
        if (buffer != null)
        {
            buffer.RejectUnknown(BufferMembers);
            config.BufferBudgetBytes = buffer.Integer("budgetBytes", 16 * 1024, 1L << 40, config.BufferBudgetBytes, false);
        }

        var time = root.Object("time", false);
        if (time != null)
        {
            time.RejectUnknown(TimeMembers);
            config.Time.NtpServer = time.String("ntpServer", false, config.Time.NtpServer);
            config.Time.MeterSyncHours = (int)time.Integer("meterSyncHours", 1, 168, config.Time.MeterSyncHours, false);
            config.Time.UtcOffsetMinutes = (int)time.Integer("utcOffsetMinutes", -720, 840, config.Time.UtcOffsetMinutes, false);
        }

        return config;
    }

    private static void ReadNetwork(ConfigNode? node, NetworkSettings network)
    {
        if (node == null)
        {
            return;
        }

        node.RejectUnknown(NetworkMembers);
        network.Mode = node.Choice("mode", NetworkModes, network.Mode, false);
        network.WifiSsid = node.String("wifiSsid", false, "");
        network.WifiPassword = node.String("wifiPassword", false, "");
    }

    private static void ReadMqtt(ConfigNode? node, GatewayConfig config)
    {
        if (node == null)
        {
            return;
        }

        var mqtt = config.Mqtt;
        node.RejectUnknown(MqttMembers);
        mqtt.Host = node.String("host", true, "");
        mqtt.Port = (int)node.Integer("port", 1, 65535, mqtt.Port, false);
        mqtt.Tls = node.Boolean("tls", false);
        mqtt.CaFile = node.String("caFile", false, "");
        mqtt.ClientCertFile = node.String("clientCertFile", false, "");
        mqtt.Username = node.String("username", false, config.GatewayId);
        mqtt.Password = node.String("password", false, "");
        mqtt.TopicPrefix = node.String("topicPrefix", false, mqtt.TopicPrefix);
        mqtt.KeepAliveSeconds = (int)node.Integer("keepAliveSeconds", 10, 3600, mqtt.KeepAliveSeconds, false);
        if (mqtt.TopicPrefix.Length == 0 || mqtt.TopicPrefix.IndexOf('#') >= 0 || mqtt.TopicPrefix.IndexOf('+') >= 0)
        {
            node.Error("topicPrefix", "must be a non-empty topic without wildcards");
        }
    }

    private static BusSettings[] ReadBuses(ConfigNode root, string networkMode)
    {
        var nodes = root.Objects("buses", 4);
        var buses = new BusSettings[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            node.RejectUnknown(BusMembers);
            var tcp = node.Has("modbusTcp");
            var bus = new BusSettings
            {
                Id = node.String("id", true, ""),
                Link = node.String("link", networkMode == "host" && !tcp, ""),
                Uart = node.Has("uart") ? node.Choice("uart", Uarts, "", false) : "",
                Baud = node.OneOf("baud", Bauds, 2400),
                Parity = node.Choice("parity", Parities, "even", false),
                StopBits = node.OneOf("stopBits", StopBitChoices, 1),
                TxPin = (int)node.Integer("txPin", 0, 48, -1, false),
                RxPin = (int)node.Integer("rxPin", 0, 48, -1, false),
                DePin = (int)node.Integer("dePin", 0, 48, -1, false),
            };
            if (tcp)
            {
                ReadModbusTcpEndpoint(node, bus);
            }
            else if (node.Has("maxOutstanding"))
            {
                node.Error("maxOutstanding", "is for a Modbus TCP bus (modbusTcp): an RS-485 bus carries one request at a time");
            }
            else if (networkMode != "host" && bus.Uart.Length == 0)
            {
                node.Error("uart", "is required on a device (COM2 or COM3)");
            }

            RequireIdentifier(node, "id", bus.Id);
            for (var j = 0; j < i; j++)
            {
                if (buses[j].Id == bus.Id)
                {
                    node.Error("id", "\"" + bus.Id + "\" is used by buses[" + j + "] too");
                }
            }

            buses[i] = bus;
        }

        return buses;
    }

    /// <summary>"HOST" or "HOST:PORT" (502 by default); a bus that is a Modbus TCP server has no serial line.</summary>
    private static void ReadModbusTcpEndpoint(ConfigNode node, BusSettings bus)
    {
        var endpoint = node.String("modbusTcp", true, "");
        var colon = endpoint.IndexOf(':');
        var host = colon < 0 ? endpoint : endpoint.Substring(0, colon);
        var port = 502;
        if (!IsHostName(host) || (colon >= 0 && !TryParsePort(endpoint.Substring(colon + 1), out port)))
        {
            node.Error("modbusTcp", "must be HOST or HOST:PORT of a Modbus TCP server, e.g. \"10.0.5.20:502\" (found \"" + endpoint + "\")");
            return;
        }

        if (node.Has("link") || node.Has("uart"))
        {
            node.Error("modbusTcp", "is a bus of its own: leave out link and uart");
        }

        bus.ModbusTcpHost = host;
        bus.ModbusTcpPort = port;
        bus.MaxOutstanding = (int)node.Integer("maxOutstanding", 1, 16, 1, false);
    }

    private static bool IsHostName(string host)
    {
        if (host.Length == 0 || host.Length > 253)
        {
            return false;
        }

        for (var i = 0; i < host.Length; i++)
        {
            var c = host[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParsePort(string text, out int port)
    {
        port = 0;
        if (text.Length == 0 || text.Length > 5)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] < '0' || text[i] > '9')
            {
                return false;
            }

            port = (port * 10) + (text[i] - '0');
        }

        return port >= 1 && port <= 65535;
    }

    private static void ReadCjt188Meter(ConfigNode node, MeterSettings meter)
    {
        meter.Address = node.String("address", true, "");
        if (meter.Address.Length > 0 && !Cjt188Address.TryParse(meter.Address, out _))
        {
            node.Error("address", "must be the meter's 14-digit CJ/T 188 address, A6 first (found \"" + meter.Address + "\")");
        }

        var type = node.Choice("meterType", Cjt188MeterType.Names, "cold-water", true);
        Cjt188MeterType.TryParse(type, out var code);
        meter.Cjt188Type = code;
        meter.SwappedDi = node.Choice("diOrder", DiOrders, "901F", false) == "1F90";
    }

    private static bool OnModbusTcp(MeterSettings meter, GatewayConfig config)
    {
        var bus = config.BusIndexOf(meter.Bus);
        return bus >= 0 && config.Buses[bus].IsModbusTcp;
    }

    private static MeterSettings[] ReadMeters(ConfigNode root, GatewayConfig config, MeterElements elements)
    {
        var meters = new MeterSettings[elements.Begin(root, MaxMeters)];
        for (var i = 0; i < meters.Length; i++)
        {
            var node = elements.Get(i);
            meters[i] = ReadMeter(node, config);
            for (var j = 0; j < i; j++)
            {
                if (meters[j].Id == meters[i].Id)
                {
                    node.Error("id", "\"" + meters[i].Id + "\" is used by meters[" + j + "] too");
                }
            }
        }

        return meters;
    }

    private static MeterSettings ReadMeter(ConfigNode node, GatewayConfig config)
    {
        node.RejectUnknown(MeterMembers);
        var meter = new MeterSettings
        {
            Id = node.String("id", true, ""),
            Bus = node.String("bus", true, ""),
            Protocol = node.Choice("protocol", Protocols, "", true),
            PollSeconds = node.OneOf("pollSeconds", PollIntervals, 60),
            TimeoutMs = (int)node.Integer("timeoutMs", 50, 5000, 500, false),
            Retries = (int)node.Integer("retries", 0, 5, 1, false),
            TimeSync = node.Boolean("timeSync", false),
            TimeByteOrder = node.Choice("timeByteOrder", ByteOrders, "standard", false),
        };
        RequireIdentifier(node, "id", meter.Id);
        if (meter.Bus.Length > 0 && config.BusIndexOf(meter.Bus) < 0)
        {
            node.Error("bus", "\"" + meter.Bus + "\" is not one of the buses");
        }

        if (meter.IsDlt645)
        {
            meter.Address = node.String("address", true, "");
            if (meter.Address.Length > 0 && (meter.Address.Length != 12 || !Dlt645Address.TryParse(meter.Address, out _)))
            {
                node.Error("address", "must be the meter's 12-digit DL/T 645 address (found \"" + meter.Address + "\")");
            }
        }
        else if (meter.IsCjt188)
        {
            ReadCjt188Meter(node, meter);
        }
        else if (meter.Protocol == "modbus")
        {
            // Behind a Modbus TCP gateway any unit id 0-255 may address a device; on RS-485, 1-247.
            var tcp = OnModbusTcp(meter, config);
            meter.Unit = (int)node.Integer("unit", tcp ? 0 : 1, tcp ? 255 : 247, 1, true);
        }

        if (OnModbusTcp(meter, config) && meter.Protocol != "modbus")
        {
            node.Error("protocol", "must be modbus on bus \"" + meter.Bus + "\", a Modbus TCP server");
        }

        var points = node.Objects("points", 64);
        meter.Points = new PointSettings[points.Length];
        for (var p = 0; p < points.Length; p++)
        {
            meter.Points[p] = ReadPoint(points[p], meter);
            for (var q = 0; q < p; q++)
            {
                if (meter.Points[q].Id == meter.Points[p].Id)
                {
                    points[p].Error("id", "\"" + meter.Points[p].Id + "\" is used by points[" + q + "] too");
                }
            }
        }

        return meter;
    }

    private static void ReadCjt188Point(ConfigNode node, MeterSettings meter, PointSettings point)
    {
        var name = node.Choice("field", Cjt188FieldNames.Names, "total", true);
        Cjt188FieldNames.TryParse(name, out var field);
        point.Field = field;
        if (node.Has("field") && meter.Cjt188Type != 0 && !Cjt188FieldNames.BelongsTo(field, meter.Cjt188Type))
        {
            node.Error("field", "\"" + name + "\" is not reported by a " + Cjt188MeterType.NameOf(meter.Cjt188Type) + " meter");
        }

        if (point.Unit.Length == 0)
        {
            node.Error("unit", "is required for CJ/T 188 points: the unit the meter reports (m3, kWh, GJ, ...), checked at every read");
        }
    }

    private static PointSettings ReadPoint(ConfigNode node, MeterSettings meter)
    {
        node.RejectUnknown(PointMembers);
        var point = new PointSettings
        {
            Id = node.String("id", true, ""),
            Unit = node.String("unit", false, ""),
        };
        RequireIdentifier(node, "id", point.Id);
        if (node.Has("dataCode"))
        {
            node.Note("dataCode", "ignored; data codes live in the receiver's data items (docs/indicators.md)");
        }

        point.Ratio = ReadRatio(node);

        if (point.Unit.Length > 0 && !PayloadRules.IsUnit(point.Unit))
        {
            node.Error("unit", "must be 1-16 printable characters");
        }

        if (meter.IsDlt645)
        {
            ReadDlt645Point(node, meter, point);
        }
        else if (meter.IsCjt188)
        {
            ReadCjt188Point(node, meter, point);
        }
        else if (meter.Protocol == "modbus")
        {
            point.Register = (int)node.Integer("register", 0, 65535, 0, true);
            // The choices are checked against the name table, so each parses; an error was reported otherwise.
            ModbusNames.TryParseReadFunction(node.OneOf("function", ModbusNames.ReadFunctions, 3), out var function);
            ModbusNames.TryParseDataType(node.Choice("type", ModbusNames.DataTypes, "uint16", false), out var dataType);
            ModbusNames.TryParseWordOrder(node.Choice("wordOrder", ModbusNames.WordOrders, "big", false), out var wordOrder);
            point.Function = function;
            point.DataType = dataType;
            point.WordOrder = wordOrder;
            point.Decimals = (int)node.Integer("decimals", 0, 9, 0, false);
            if (point.Unit.Length == 0)
            {
                node.Error("unit", "is required for Modbus points");
            }
        }

        return point;
    }

    /// <summary>The point's ratio: a positive exact decimal, 1 when absent.</summary>
    private static FixedDecimal ReadRatio(ConfigNode node)
    {
        if (!node.Decimal("ratio", out var ratio))
        {
            return PointSettings.NoRatio;
        }

        if (ratio.Sign <= 0 || FixedDecimal.Compare(ratio, new FixedDecimal(MaxRatio, 0)) > 0)
        {
            node.Error("ratio", "must be above 0 and at most " + MaxRatio + " (found \"" + ratio + "\")");
            return PointSettings.NoRatio;
        }

        return ratio;
    }

    private static void ReadDlt645Point(ConfigNode node, MeterSettings meter, PointSettings point)
    {
        var version = meter.Protocol == "dlt645-1997" ? Dlt645Version.V1997 : Dlt645Version.V2007;
        var text = node.String("di", true, "");
        if (text.Length == 0)
        {
            return;
        }

        var expectedDigits = version == Dlt645Version.V1997 ? 4 : 8;
        if (text.Length != expectedDigits || !TryParseHex(text, out var di))
        {
            node.Error("di", "must be " + expectedDigits + " hex digits for " + meter.Protocol + " (found \"" + text + "\")");
            return;
        }

        var item = Dlt645Catalogue.Find(di, version);
        if (item == null)
        {
            node.Error("di", text + " is not in the DL/T 645 catalogue (docs/dlt645.md)");
            return;
        }

        if (item.Kind != Dlt645DataKind.Numeric && item.Kind != Dlt645DataKind.Block)
        {
            node.Error("di", text + " (" + item.Name + ") is not a numeric value");
            return;
        }

        point.DataIdentifier = di;
        if (point.Unit.Length == 0)
        {
            point.Unit = item.Unit.Length > 0 ? item.Unit : "1";
        }
    }

    private static void RequireIdentifier(ConfigNode node, string name, string value)
    {
        if (value.Length > 0 && !PayloadRules.IsIdentifier(value))
        {
            node.Error(name, "must be 1-32 of A-Z a-z 0-9 _ - . : (found \"" + value + "\")");
        }
    }

    private static void ReadUpload(ConfigNode? node, UploadSettings upload)
    {
        if (node == null)
        {
            return;
        }

        node.RejectUnknown(UploadMembers);
        upload.IntervalSeconds = (int)node.Integer("intervalSeconds", 1, 3600, upload.IntervalSeconds, false);
        upload.MaxReadingsPerPacket = (int)node.Integer("maxReadingsPerPacket", 1, 200, upload.MaxReadingsPerPacket, false);
        upload.MaxPacketBytes = (int)node.Integer("maxPacketBytes", 512, 65536, upload.MaxPacketBytes, false);
        upload.PayloadVersion = (int)node.Integer("payloadVersion", 1, 2, upload.PayloadVersion, false);
        upload.StatusIntervalSeconds = (int)node.Integer("statusIntervalSeconds", 10, 3600, upload.StatusIntervalSeconds, false);
    }

    internal static bool TryParseHex(string text, out uint value)
    {
        value = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int digit;
            if (c >= '0' && c <= '9')
            {
                digit = c - '0';
            }
            else if (c >= 'a' && c <= 'f')
            {
                digit = c - 'a' + 10;
            }
            else if (c >= 'A' && c <= 'F')
            {
                digit = c - 'A' + 10;
            }
            else
            {
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        return text.Length > 0 && text.Length <= 8;
    }

    private static string JsonErrorText(JsonError error)
    {
        switch (error)
        {
            case JsonError.UnexpectedEnd: return "unexpected end";
            case JsonError.UnexpectedCharacter: return "unexpected character";
            case JsonError.DuplicateKey: return "duplicate member name";
            case JsonError.TrailingData: return "data after the document";
            case JsonError.BadUtf8: return "invalid UTF-8";
            case JsonError.TooDeep: return "nested too deeply";
            case JsonError.TooManyTokens: return "too many values";
            default: return "malformed";
        }
    }
}
