using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Values;

namespace EdgeMeter.Core.Config;

/// <summary>The gateway's configuration file (docs/config.md, docs/schema/gateway-config.schema.json).</summary>
public sealed class GatewayConfig
{
    public const int SchemaVersion = 1;

    public string GatewayId { get; set; } = "";

    /// <summary>Version of the HMAC key in the provisioning file; packets carry kid = gatewayId.keyVersion.</summary>
    public int KeyVersion { get; set; }

    public NetworkSettings Network { get; set; } = new NetworkSettings();

    public MqttSettings Mqtt { get; set; } = new MqttSettings();

    public BusSettings[] Buses { get; set; } = new BusSettings[0];

    public MeterSettings[] Meters { get; set; } = new MeterSettings[0];

    public UploadSettings Upload { get; set; } = new UploadSettings();

    public long BufferBudgetBytes { get; set; } = 160 * 1024;

    public TimeSettings Time { get; set; } = new TimeSettings();

    /// <summary>What the reader accepted but wants a person to know ("$.meters[0].points[0].dataCode: ignored ...").</summary>
    public string[] Notes { get; set; } = new string[0];

    public int BusIndexOf(string busId)
    {
        for (var i = 0; i < Buses.Length; i++)
        {
            if (Buses[i].Id == busId)
            {
                return i;
            }
        }

        return -1;
    }
}

public sealed class NetworkSettings
{
    /// <summary>host (the PC's network), wifi or ethernet (brought up on the device).</summary>
    public string Mode { get; set; } = "host";

    public string WifiSsid { get; set; } = "";

    public string WifiPassword { get; set; } = "";
}

public sealed class MqttSettings
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 1883;

    public bool Tls { get; set; }

    public string CaFile { get; set; } = "";

    public string ClientCertFile { get; set; } = "";

    /// <summary>Defaults to the gateway id.</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public string TopicPrefix { get; set; } = "edgemeter/v1";

    public int KeepAliveSeconds { get; set; } = 60;
}

public sealed class BusSettings
{
    public string Id { get; set; } = "";

    /// <summary>PC only: serial:///dev/ttyUSB0?... or tcp://HOST:PORT.</summary>
    public string Link { get; set; } = "";

    /// <summary>Device only: COM2 or COM3.</summary>
    public string Uart { get; set; } = "";

    /// <summary>A Modbus TCP server (PLC, DCS, Modbus TCP gateway) instead of an RS-485 bus: its host name or
    /// address; the gateway connects to it and to nothing else of the plant network.</summary>
    public string ModbusTcpHost { get; set; } = "";

    public int ModbusTcpPort { get; set; } = 502;

    /// <summary>Modbus TCP: requests the server takes before it answers the first (1 = one at a time).</summary>
    public int MaxOutstanding { get; set; } = 1;

    public bool IsModbusTcp => ModbusTcpHost.Length > 0;

    public int Baud { get; set; } = 2400;

    public string Parity { get; set; } = "even";

    public int StopBits { get; set; } = 1;

    public int TxPin { get; set; } = -1;

    public int RxPin { get; set; } = -1;

    public int DePin { get; set; } = -1;
}

public sealed class MeterSettings
{
    public string Id { get; set; } = "";

    public string Bus { get; set; } = "";

    /// <summary>dlt645, dlt645-1997, modbus or cjt188.</summary>
    public string Protocol { get; set; } = "";

    /// <summary>DL/T 645: 12 digits; CJ/T 188: 14 hex digits, A6 first.</summary>
    public string Address { get; set; } = "";

    /// <summary>Modbus unit id.</summary>
    public int Unit { get; set; }

    public int PollSeconds { get; set; } = 60;

    public int TimeoutMs { get; set; } = 500;

    public int Retries { get; set; } = 1;

    public bool TimeSync { get; set; }

    /// <summary>standard or reversed (DL/T 645 broadcast-time byte order).</summary>
    public string TimeByteOrder { get; set; } = "standard";

    /// <summary>What <see cref="Points"/> becomes once a board's runtime has built the meter's session.</summary>
    public static readonly PointSettings[] NoPoints = new PointSettings[0];

    public PointSettings[] Points { get; set; } = NoPoints;

    /// <summary>CJ/T 188: the meter type byte (10H cold water ... 30H gas).</summary>
    public byte Cjt188Type { get; set; }

    /// <summary>CJ/T 188: the meter wants DI 901FH as 1F 90.</summary>
    public bool SwappedDi { get; set; }

    public bool IsDlt645 => Protocol == "dlt645" || Protocol == "dlt645-1997";

    public bool IsCjt188 => Protocol == "cjt188";
}

public sealed class PointSettings
{
    // A configuration's points are all alive at once at start-up, beside the parser (256 of them on a 16 x 16 gateway).
    // On nanoFramework every field is a 12-byte block and a struct field an object of its own, so the ratio is kept as
    // a mantissa and a scale and the four small protocol choices share one int, a byte each.
    private const int FunctionShift = 0;
    private const int DataTypeShift = 8;
    private const int WordOrderShift = 16;
    private const int FieldShift = 24;

    private long _ratioMantissa = 1;
    private int _ratioScale;
    private int _choices = ((int)ModbusFunction.ReadHoldingRegisters << FunctionShift) | ((int)ModbusDataType.UInt16 << DataTypeShift)
        | ((int)ModbusWordOrder.BigEndian << WordOrderShift);

    /// <summary>A ratio of 1: the meter reports primary values.</summary>
    public static FixedDecimal NoRatio => new FixedDecimal(1, 0);

    public string Id { get; set; } = "";

    /// <summary>CT ratio x VT ratio x meter multiplier: the raw value times this is the primary value.</summary>
    public FixedDecimal Ratio
    {
        get => new FixedDecimal(_ratioMantissa, _ratioScale);
        set
        {
            _ratioMantissa = value.Mantissa;
            _ratioScale = value.Scale;
        }
    }

    /// <summary>DL/T 645 data identifier (parsed from hex).</summary>
    public uint DataIdentifier { get; set; }

    public int Register { get; set; } = -1;

    public ModbusFunction Function
    {
        get => (ModbusFunction)Choice(FunctionShift);
        set => SetChoice(FunctionShift, (int)value);
    }

    public ModbusDataType DataType
    {
        get => (ModbusDataType)Choice(DataTypeShift);
        set => SetChoice(DataTypeShift, (int)value);
    }

    public ModbusWordOrder WordOrder
    {
        get => (ModbusWordOrder)Choice(WordOrderShift);
        set => SetChoice(WordOrderShift, (int)value);
    }

    public int Decimals { get; set; }

    /// <summary>CJ/T 188: which value of the current data.</summary>
    public Cjt188Field Field
    {
        get => (Cjt188Field)Choice(FieldShift);
        set => SetChoice(FieldShift, (int)value);
    }

    public string Unit { get; set; } = "";

    private int Choice(int shift) => (_choices >> shift) & 0xFF;

    private void SetChoice(int shift, int value)
    {
        if (value < 0 || value > 0xFF)
        {
            throw new System.ArgumentOutOfRangeException(nameof(value));
        }

        _choices = (_choices & ~(0xFF << shift)) | (value << shift);
    }
}

public sealed class UploadSettings
{
    public int IntervalSeconds { get; set; } = 10;

    public int MaxReadingsPerPacket { get; set; } = 40;

    /// <summary>The receiver's default limit too (docs/receiver.md): keep both equal.</summary>
    public int MaxPacketBytes { get; set; } = 1024;

    /// <summary>Schema of "up" payloads: 2 (compact, the default) or 1 for platforms that read only v1.</summary>
    public int PayloadVersion { get; set; } = 2;

    public int StatusIntervalSeconds { get; set; } = 60;
}

public sealed class TimeSettings
{
    public string NtpServer { get; set; } = "pool.ntp.org";

    public int MeterSyncHours { get; set; } = 24;

    /// <summary>Meters keep local time: China Standard Time (UTC+8) unless configured otherwise.</summary>
    public int UtcOffsetMinutes { get; set; } = 480;
}
