using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Values;
using EdgeMeter.MeterSim.Meters;
using EdgeMeter.Pc.Cli;
using EdgeMeter.Pc.Links;
using EdgeMeter.Pc.Meters;
using EdgeMeter.Pc.Time;

namespace EdgeMeter.Host.Cli;

/// <summary>
/// `edgemeter read`: one value from one meter, for a technician at the bus.
/// DL/T 645: <c>--di 02010100</c> (2007) or <c>--di B611</c> (1997). Modbus: <c>--register N --type T</c>.
/// CJ/T 188: <c>--field total</c> (water, gas) or <c>--field heat</c> (heat meters), <c>--di-order 1F90</c> where the meter wants it.
/// Prints "220.1 V", or one JSON object with <c>--json</c>. Exit 0 ok, 1 meter or link failure, 2 bad command line.
/// </summary>
public static class ReadVerb
{
    public const int DefaultTimeoutMilliseconds = 1000;

    public static Command Create(CliConsole console)
    {
        var link = new Option<string>("--link") { Description = "The bus: serial:///dev/ttyUSB0?baud=2400&parity=even, tcp://HOST:PORT (a serial server) or modbus-tcp://HOST[:PORT] (a Modbus TCP server)", Required = true };
        var meter = new Option<string>("--meter") { Description = "The meter: dlt645:ADDRESS12, dlt645-1997:ADDRESS12, modbus:UNIT or cjt188-water|gas|heat:ADDRESS14", Required = true };
        var field = new Option<string?>("--field") { Description = "CJ/T 188: " + string.Join(", ", Cjt188FieldNames.Names) + " (default total, heat for heat meters)" };
        var diOrder = new Option<string>("--di-order") { Description = "CJ/T 188: how the meter wants DI 901FH sent: 901F (the 2004 tables) or 1F90", DefaultValueFactory = _ => "901F" };
        var di = new Option<string?>("--di") { Description = "DL/T 645 data identifier: 8 hex digits (2007, e.g. 02010100) or 4 (1997, e.g. B611)" };
        var raw = new Option<bool>("--raw") { Description = "DL/T 645: read any DI and print its value bytes in hex (lowest first)" };
        var register = new Option<string?>("--register") { Description = "Modbus: first register, 0-based (decimal or 0x hex)" };
        var type = new Option<string>("--type") { Description = "Modbus: " + string.Join(", ", ModbusNames.DataTypes), DefaultValueFactory = _ => ModbusNames.Of(ModbusDataType.UInt16) };
        var function = new Option<int>("--function") { Description = "Modbus: 3 (holding registers) or 4 (input registers)", DefaultValueFactory = _ => 3 };
        var wordOrder = new Option<string>("--word-order") { Description = "Modbus: big (most significant register first) or little", DefaultValueFactory = _ => ModbusNames.Of(ModbusWordOrder.BigEndian) };
        var decimals = new Option<int?>("--decimals") { Description = "Modbus: integers are scaled by 10^-N; floats are rounded to N decimals" };
        var unit = new Option<string?>("--unit") { Description = "Modbus: unit to print (default: from the SDM630/EdgeMeter map when the register is one of its points)" };
        var timeout = new Option<int>("--timeout-ms") { Description = "How long to wait for the reply", DefaultValueFactory = _ => DefaultTimeoutMilliseconds };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: meter, point, value (a number), unit, status" };

        var command = new Command("read", "Read one value from one meter.")
        {
            link, meter, di, raw, register, type, function, wordOrder, decimals, unit, field, diOrder, timeout, json,
        };
        command.SetAction(parse =>
        {
            var linkAddress = CliValues.Link(parse.GetValue(link)!);
            var spec = CliValues.Meter(parse.GetValue(meter)!);
            var timeoutMs = parse.GetValue(timeout);
            if (timeoutMs is < 1 or > 60_000)
            {
                throw new CliException($"--timeout-ms {timeoutMs} must be 1..60000", ExitCodes.Usage);
            }

            MeterReading reading;
            if (spec.IsCjt188)
            {
                RefuseOptions(parse, spec, di, raw, register, type, function, wordOrder, decimals, unit);
                reading = ReadCjt188(linkAddress, spec, parse.GetValue(field), parse.GetValue(diOrder)!, timeoutMs);
            }
            else if (spec.IsDlt645)
            {
                RefuseOptions(parse, spec, register, type, function, wordOrder, decimals, unit, field, diOrder);
                var text = parse.GetValue(di) ?? throw new CliException($"{spec} needs --di (e.g. {(spec.Dlt645Version == Dlt645Version.V1997 ? "B611" : "02010100")})", ExitCodes.Usage);
                reading = ReadDlt645(linkAddress, spec, text, parse.GetValue(raw), timeoutMs);
            }
            else
            {
                RefuseOptions(parse, spec, di, raw, field, diOrder);
                var text = parse.GetValue(register) ?? throw new CliException($"{spec} needs --register (e.g. --register 0 --type float32 --function 4)", ExitCodes.Usage);
                if (parse.GetValue(decimals) is < 0 or > ModbusPoint.MaxDecimals)
                {
                    throw new CliException($"--decimals {parse.GetValue(decimals)} must be 0..{ModbusPoint.MaxDecimals}", ExitCodes.Usage);
                }

                var request = new ModbusReadRequest(
                    CliValues.Number(text, "register", 0, 0xFFFF),
                    ParseType(parse.GetValue(type)!),
                    ParseFunction(parse.GetValue(function)),
                    ParseWordOrder(parse.GetValue(wordOrder)!),
                    parse.GetValue(decimals),
                    parse.GetValue(unit));
                reading = ReadModbus(linkAddress, spec, request, timeoutMs);
            }

            console.Out.WriteLine(parse.GetValue(json) ? reading.ToJson() : reading.ToText());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static MeterReading ReadDlt645(LinkAddress linkAddress, MeterSpec meter, string diText, bool raw, int timeoutMs)
    {
        var version = meter.Dlt645Version;
        var di = CliValues.DataIdentifier(diText, version);
        var diName = version == Dlt645Version.V1997 ? di.ToString("X4", CultureInfo.InvariantCulture) : di.ToString("X8", CultureInfo.InvariantCulture);
        var item = Dlt645Catalogue.Find(di, version);
        if (item == null && !raw)
        {
            throw new CliException($"DI {diName} is not in the {meter.ProtocolName} catalogue (see docs/dlt645.md); --raw reads any DI as bytes", ExitCodes.Usage);
        }

        RequireBus(linkAddress, meter.ProtocolName);
        using var link = new FailureRecordingLink(MeterLinks.Open(linkAddress));
        var master = new Dlt645Master(link, SystemClock.Instance) { Version = version, TimeoutMilliseconds = timeoutMs };
        var status = master.ReadRaw(meter.Address, di);
        if (status != ReadStatus.Ok)
        {
            throw MeterFailures.From(status, meter, linkAddress, link, timeoutMs, $"DI {diName}", master.LastError);
        }

        var bytes = master.LastData.AsSpan(0, master.LastDataLength).ToArray();
        var identity = new List<KeyValuePair<string, object>> { new("di", diName) };
        if (raw || item == null)
        {
            var hex = Convert.ToHexString(bytes);
            return new MeterReading(meter, identity, item?.Name, hex, IsNumber: false, string.Empty, null);
        }

        var malformed = MeterFailures.From(ReadStatus.Malformed, meter, linkAddress, link, timeoutMs, $"DI {diName}");
        switch (item.Kind)
        {
            case Dlt645DataKind.Numeric:
            case Dlt645DataKind.Block:
                var count = item.Kind == Dlt645DataKind.Numeric ? 1 : bytes.Length / item.ElementLength;
                var elements = new List<string>();
                for (var i = 0; i < count; i++)
                {
                    if (!Dlt645ValueCodec.TryDecodeElement(item, bytes, 0, bytes.Length, i, out var element))
                    {
                        throw malformed;
                    }

                    elements.Add(element.ToString());
                }

                return new MeterReading(meter, identity, item.Name, elements[0], IsNumber: true, item.Unit, item.Kind == Dlt645DataKind.Block ? elements : null);
            case Dlt645DataKind.Date:
                return new MeterReading(meter, identity, item.Name, FormatDate(bytes) ?? throw malformed, IsNumber: false, string.Empty, null);
            case Dlt645DataKind.Time:
                return new MeterReading(meter, identity, item.Name, FormatTime(bytes) ?? throw malformed, IsNumber: false, string.Empty, null);
            default:
                if (bytes.Length != Dlt645Address.Length)
                {
                    throw malformed;
                }

                return new MeterReading(meter, identity, item.Name, Dlt645Address.FromBytes(bytes, 0).ToString(), IsNumber: false, string.Empty, null);
        }
    }

    private static MeterReading ReadCjt188(LinkAddress linkAddress, MeterSpec meter, string? fieldName, string diOrder, int timeoutMs)
    {
        var heat = meter.Protocol == MeterProtocol.Cjt188Heat;
        var name = fieldName ?? (heat ? "heat" : "total");
        if (!Cjt188FieldNames.TryParse(name, out var field) || !Cjt188FieldNames.BelongsTo(field, meter.Cjt188Type))
        {
            var known = Cjt188FieldNames.Names.Where(n => Cjt188FieldNames.TryParse(n, out var f) && Cjt188FieldNames.BelongsTo(f, meter.Cjt188Type));
            throw new CliException($"--field '{name}' is not reported by a {meter.ProtocolName} meter (known: {string.Join(", ", known)})", ExitCodes.Usage);
        }

        if (diOrder is not ("901F" or "1F90"))
        {
            throw new CliException($"--di-order '{diOrder}' must be 901F or 1F90", ExitCodes.Usage);
        }

        RequireBus(linkAddress, meter.ProtocolName);
        using var link = new FailureRecordingLink(MeterLinks.Open(linkAddress));
        var master = new Cjt188Master(link, SystemClock.Instance) { TimeoutMilliseconds = timeoutMs };
        var data = new Cjt188CurrentData();
        var status = master.ReadCurrent(meter.Cjt188Type, meter.Cjt188Address, diOrder == "1F90", data);
        if (status != ReadStatus.Ok)
        {
            throw MeterFailures.From(status, meter, linkAddress, link, timeoutMs, "current data (901FH)");
        }

        if (!data.TryGet(field, out var value, out var unit))
        {
            throw new CliException($"{meter} sent no value for {name} (not BCD: the meter has none)");
        }

        var identity = new List<KeyValuePair<string, object>> { new("field", name), new("meterStatus", $"{data.Status:X4}") };
        return new MeterReading(meter, identity, name, value.ToString(), IsNumber: true, unit, null);
    }

    private static MeterReading ReadModbus(LinkAddress linkAddress, MeterSpec meter, ModbusReadRequest request, int timeoutMs)
    {
        var known = ModbusRegisterMap.Standard.Find(request.Function, request.Register, request.Type, request.WordOrder);
        var decimals = request.Decimals ?? known?.Decimals;
        var unit = request.Unit ?? known?.Unit ?? string.Empty;
        var count = ModbusPoint.RegistersOf(request.Type);
        if (request.Register + count > 0x10000)
        {
            throw new CliException($"register {request.Register} + {count} registers of {request.TypeName} passes 65535", ExitCodes.Usage);
        }

        using var link = new FailureRecordingLink(MeterLinks.Open(linkAddress));
        var master = MeterLinks.ModbusMaster(linkAddress, link, SystemClock.Instance);
        master.ResponseTimeoutMilliseconds = timeoutMs;
        var registers = new ushort[count];
        var status = request.Function == ModbusFunction.ReadInputRegisters
            ? master.ReadInputRegisters(meter.Unit, request.Register, count, registers)
            : master.ReadHoldingRegisters(meter.Unit, request.Register, count, registers);
        var what = $"function {(int)request.Function:D2} register {request.Register}";
        if (status != ReadStatus.Ok)
        {
            throw MeterFailures.From(status, meter, linkAddress, link, timeoutMs, what, modbusException: master.LastException);
        }

        var value = Decode(request, decimals, registers, meter, what);
        var identity = new List<KeyValuePair<string, object>>
        {
            new("function", (int)request.Function),
            new("register", request.Register),
            new("type", request.TypeName),
            new("wordOrder", ModbusNames.Of(request.WordOrder)),
        };
        return new MeterReading(meter, identity, known?.Name, value.ToString(), IsNumber: true, unit, null);
    }

    private static void RequireBus(LinkAddress address, string protocol)
    {
        try
        {
            MeterLinks.RequireBus(address, protocol);
        }
        catch (FormatException wrong)
        {
            throw new CliException(wrong.Message, ExitCodes.Usage);
        }
    }

    private static FixedDecimal Decode(ModbusReadRequest request, int? decimals, ushort[] registers, MeterSpec meter, string what)
    {
        var isFloat = request.Type is ModbusDataType.Float32 or ModbusDataType.Float64;
        if (isFloat && decimals == null && ShortestFloatText(request, registers) is { } shortest && FixedDecimal.TryParse(shortest, out var exact))
        {
            return exact;
        }

        var scale = decimals ?? (isFloat ? 6 : 0);
        var point = isFloat
            ? new ModbusPoint("read", meter.Unit, request.Function, request.Register, request.Type, request.WordOrder, 0, scale)
            : new ModbusPoint("read", meter.Unit, request.Function, request.Register, request.Type, request.WordOrder, -scale);
        return ModbusValueCodec.Decode(point, registers, 0, out var value) switch
        {
            ModbusValueStatus.Ok => value,
            ModbusValueStatus.NotANumber => throw new CliException($"{meter} {what} holds NaN: the meter has no value for it"),
            ModbusValueStatus.Infinite => throw new CliException($"{meter} {what} holds an infinite float"),
            _ => throw new CliException($"{meter} {what}: the value does not fit 18 digits at {scale} decimals"),
        };
    }

    /// <summary>The shortest decimal text that reads back as the same float ("220.1"), or null for NaN, infinities and exponent forms.</summary>
    private static string? ShortestFloatText(ModbusReadRequest request, ushort[] registers)
    {
        ulong bits = 0;
        for (var i = 0; i < registers.Length; i++)
        {
            var word = request.WordOrder == ModbusWordOrder.BigEndian ? registers[i] : registers[registers.Length - 1 - i];
            bits = (bits << 16) | word;
        }

        var text = request.Type == ModbusDataType.Float32
            ? BitConverter.UInt32BitsToSingle((uint)bits).ToString("R", CultureInfo.InvariantCulture)
            : BitConverter.UInt64BitsToDouble(bits).ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) || !FixedDecimal.TryParse(text, out _) ? null : text;
    }

    private static string? FormatDate(byte[] bytes)
    {
        if (bytes.Length != 4 || !Dlt645ValueCodec.TryDecodeBcdByte(bytes[3], out var year) || !Dlt645ValueCodec.TryDecodeBcdByte(bytes[2], out var month)
            || !Dlt645ValueCodec.TryDecodeBcdByte(bytes[1], out var day) || !Dlt645ValueCodec.TryDecodeBcdByte(bytes[0], out var weekday)
            || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(2000 + year, month) || weekday > 6)
        {
            return null;
        }

        return $"{2000 + year:D4}-{month:D2}-{day:D2} {(DayOfWeek)weekday}";
    }

    private static string? FormatTime(byte[] bytes)
    {
        if (bytes.Length != 3 || !Dlt645ValueCodec.TryDecodeBcdByte(bytes[2], out var hour) || !Dlt645ValueCodec.TryDecodeBcdByte(bytes[1], out var minute)
            || !Dlt645ValueCodec.TryDecodeBcdByte(bytes[0], out var second) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        return $"{hour:D2}:{minute:D2}:{second:D2}";
    }

    private static void RefuseOptions(ParseResult parse, MeterSpec meter, params Option[] options)
    {
        foreach (var option in options)
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                var belongs = string.Join(" and ", new[] { ("DL/T 645 meters", "--di --raw"), ("Modbus meters", "--register --type --function --word-order --decimals --unit"), ("CJ/T 188 meters", "--field --di-order") }
                    .Where(p => p.Item2.Split(' ').Contains(option.Name)).Select(p => p.Item1));
                throw new CliException($"{option.Name} is for {belongs}, and {meter} is a {meter.ProtocolName} meter", ExitCodes.Usage);
            }
        }
    }

    private static ModbusDataType ParseType(string text) => ModbusNames.TryParseDataType(text, out var type)
        ? type
        : throw new CliException($"--type '{text}' must be {Names(ModbusNames.DataTypes)}", ExitCodes.Usage);

    private static ModbusFunction ParseFunction(int function) => ModbusNames.TryParseReadFunction(function, out var parsed)
        ? parsed
        : throw new CliException($"--function {function} must be 3 (holding registers) or 4 (input registers)", ExitCodes.Usage);

    private static ModbusWordOrder ParseWordOrder(string text) => ModbusNames.TryParseWordOrder(text, out var order)
        ? order
        : throw new CliException($"--word-order '{text}' must be {Names(ModbusNames.WordOrders)}", ExitCodes.Usage);

    private static string Names(string[] names) => string.Join(", ", names[..^1]) + " or " + names[^1];

    private sealed record ModbusReadRequest(int Register, ModbusDataType Type, ModbusFunction Function, ModbusWordOrder WordOrder, int? Decimals, string? Unit)
    {
        public string TypeName => ModbusNames.Of(Type);
    }

    /// <summary>What was read, ready to print. A numeric value keeps its exact decimal text.</summary>
    private sealed record MeterReading(
        MeterSpec Meter,
        IReadOnlyList<KeyValuePair<string, object>> Identity,
        string? Name,
        string Value,
        bool IsNumber,
        string Unit,
        IReadOnlyList<string>? Elements)
    {
        public string ToText()
        {
            var text = Unit.Length == 0 ? Value : $"{Value} {Unit}";
            return Elements == null ? text : $"{text} (block: {string.Join(", ", Elements)})";
        }

        public string ToJson()
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("meter", Meter.ToString());
                foreach (var (key, value) in Identity)
                {
                    if (value is int number)
                    {
                        json.WriteNumber(key, number);
                    }
                    else
                    {
                        json.WriteString(key, value.ToString());
                    }
                }

                if (Name != null)
                {
                    json.WriteString("name", Name);
                }

                json.WritePropertyName("value");
                WriteValue(json, Value);
                json.WriteString("unit", Unit);
                if (Elements != null)
                {
                    json.WriteStartArray("elements");
                    foreach (var element in Elements)
                    {
                        WriteValue(json, element);
                    }

                    json.WriteEndArray();
                }

                json.WriteString("status", "ok");
                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        // Numbers go out as their exact decimal text, never through a double.
        private void WriteValue(Utf8JsonWriter json, string value)
        {
            if (IsNumber)
            {
                json.WriteRawValue(value);
            }
            else
            {
                json.WriteStringValue(value);
            }
        }
    }
}
