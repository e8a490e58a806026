using System.Globalization;
using System.Text.RegularExpressions;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Values;
using EdgeMeter.Host.Tests.Support;
using EdgeMeter.MeterSim.Meters;
using EdgeMeter.Pc.Links;
using EdgeMeter.Pc.Time;

namespace EdgeMeter.Host.Tests.Interop;

/// <summary>
/// Our Modbus RTU against independent implementations over real serial devices (ptys made by socat; ptys refuse
/// parity, so 9600 8N1): mbpoll (a libmodbus master) reads our simulator, and our master reads a libmodbus server.
/// Our Modbus TCP the same way over loopback: mbpoll and pymodbus's client read our simulator as a Modbus TCP server,
/// and our master reads a libmodbus and a pymodbus server.
/// </summary>
public sealed class ModbusInteropTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-interop-").FullName;
    private readonly List<ChildProcess> _processes = [];

    public void Dispose()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            process.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Mbpoll_reads_the_simulators_sdm630_floats_and_extension_integers()
    {
        var mbpoll = Peers.Require("mbpoll", "mbpoll");
        var socat = Peers.Require("socat", "socat");
        using var sim = TestSimulator.Start(["modbus:1"]);
        var pty = Path.Combine(_directory, "meter");
        var bridge = Track(ChildProcess.StartCommandLine(socat, $"-d -d pty,raw,echo=0,link={pty} tcp:127.0.0.1:{sim.Host.Link.Port}"));
        Peers.WaitForPath(pty, bridge);

        // -t 3:float: input registers as float32; -B: most significant word first (SDM630); -r 1: reference 1 = address 0.
        var floats = Poll(mbpoll, $"-m rtu -b 9600 -P none -a 1 -r 1 -c 4 -t 3:float -B -1 -o 2 {pty}");
        Assert.Equal(ToDouble(sim.Value("modbus:1", Quantity.VoltageA)), floats[1], 0.05);
        Assert.Equal(ToDouble(sim.Value("modbus:1", Quantity.VoltageB)), floats[3], 0.05);
        Assert.Equal(ToDouble(sim.Value("modbus:1", Quantity.VoltageC)), floats[5], 0.05);
        Assert.Equal(ToDouble(sim.Value("modbus:1", Quantity.CurrentA)), floats[7], 0.001);

        // -0: 0-based references; -t 4:int -B: holding registers as big-endian int32.
        var integers = Poll(mbpoll, $"-m rtu -b 9600 -P none -a 1 -0 -r 4354 -c 1 -t 4:int -B -1 -o 2 {pty}");
        Assert.Equal(-123456789, integers[0x1102]);
        var words = Poll(mbpoll, $"-m rtu -b 9600 -P none -a 1 -0 -r 4096 -c 2 -t 4 -1 -o 2 {pty}");
        var energy = sim.Value("modbus:1", Quantity.ForwardActiveEnergy).Mantissa;
        Assert.Equal(energy, ((long)words[0x1000] << 16) | (long)words[0x1001]);
    }

    [Fact]
    public void Our_master_reads_a_libmodbus_server()
    {
        var gcc = Peers.Require("gcc", "gcc");
        var socat = Peers.Require("socat", "socat");
        Peers.RequireFile("/usr/include/modbus/modbus.h", "libmodbus-dev");

        var server = Path.Combine(_directory, "modbus_server");
        var source = Path.Combine(AppContext.BaseDirectory, "interop", "modbus_server.c");
        var (compiled, compilerOutput) = Peers.Run(gcc, $"-O1 -o {server} {source} -I/usr/include/modbus -lmodbus", TimeSpan.FromSeconds(30));
        Assert.True(compiled == 0, compilerOutput);

        var serverEnd = Path.Combine(_directory, "server");
        var masterEnd = Path.Combine(_directory, "master");
        var pair = Track(ChildProcess.StartCommandLine(socat, $"-d -d pty,raw,echo=0,link={serverEnd} pty,raw,echo=0,link={masterEnd}"));
        Peers.WaitForPath(serverEnd, pair);
        Peers.WaitForPath(masterEnd, pair);
        var libmodbus = Track(ChildProcess.StartCommandLine(server, $"{serverEnd} 9600 17"));
        Assert.True(libmodbus.WaitForOutput("ready", TimeSpan.FromSeconds(5)), libmodbus.Output);

        using var link = new SerialMeterLink(LinkAddress.Parse($"serial://{masterEnd}?baud=9600&parity=none"));
        var master = new ModbusRtuMaster(link, SystemClock.Instance) { ResponseTimeoutMilliseconds = 1000 };
        var holding = new ushort[12];
        Assert.Equal(ReadStatus.Ok, master.ReadHoldingRegisters(17, 0x0100, 12, holding));
        ReadsTheKnownValues(master, holding);

        master.ResponseTimeoutMilliseconds = 200;
        Assert.Equal(ReadStatus.Timeout, master.ReadHoldingRegisters(18, 0x0100, 1, holding));
    }

    [Fact]
    public void Mbpoll_reads_the_simulator_over_modbus_tcp()
    {
        var mbpoll = Peers.Require("mbpoll", "mbpoll");
        using var sim = TestSimulator.Start(["modbus:1", "modbus:3"], modbusTcp: true);

        var floats = Poll(mbpoll, $"-m tcp -p {sim.Host.Link.Port} -a 3 -r 1 -c 2 -t 3:float -B -1 -o 2 127.0.0.1");
        Assert.Equal(ToDouble(sim.Value("modbus:3", Quantity.VoltageA)), floats[1], 0.05);
        Assert.Equal(ToDouble(sim.Value("modbus:3", Quantity.VoltageB)), floats[3], 0.05);

        var integers = Poll(mbpoll, $"-m tcp -p {sim.Host.Link.Port} -a 1 -0 -r 4354 -c 1 -t 4:int -B -1 -o 2 127.0.0.1");
        Assert.Equal(-123456789, integers[0x1102]);
    }

    [Fact]
    public void Pymodbus_reads_the_simulator_over_modbus_tcp()
    {
        var python = Peers.RequirePythonModule("pymodbus", "python3-pymodbus");
        using var sim = TestSimulator.Start(["modbus:1"], modbusTcp: true);
        var script = Path.Combine(AppContext.BaseDirectory, "interop", "pymodbus_tcp_client.py");

        var (exitCode, output) = Peers.Run(python, $"{script} 127.0.0.1 {sim.Host.Link.Port} 1 3 4096 2", TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, output);
        var words = Regex.Matches(output, @"^(\d+): (\d+)", RegexOptions.Multiline)
            .ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var energy = sim.Value("modbus:1", Quantity.ForwardActiveEnergy).Mantissa;
        Assert.Equal(energy, (words[0x1000] << 16) | words[0x1001]);
    }

    [Fact]
    public void Our_master_reads_a_libmodbus_server_over_modbus_tcp()
    {
        var gcc = Peers.Require("gcc", "gcc");
        Peers.RequireFile("/usr/include/modbus/modbus.h", "libmodbus-dev");
        var server = Path.Combine(_directory, "modbus_server");
        var source = Path.Combine(AppContext.BaseDirectory, "interop", "modbus_server.c");
        var (compiled, compilerOutput) = Peers.Run(gcc, $"-O1 -o {server} {source} -I/usr/include/modbus -lmodbus", TimeSpan.FromSeconds(30));
        Assert.True(compiled == 0, compilerOutput);
        var port = FreePort.Next();
        var libmodbus = Track(ChildProcess.StartCommandLine(server, $"tcp {port} 17"));
        Assert.True(libmodbus.WaitForOutput("ready", TimeSpan.FromSeconds(5)), libmodbus.Output);

        ReadsTheKnownValuesOverTcp(port);
    }

    [Fact]
    public void Our_master_reads_a_pymodbus_server_over_modbus_tcp()
    {
        var python = Peers.RequirePythonModule("pymodbus", "python3-pymodbus");
        var port = FreePort.Next();
        var script = Path.Combine(AppContext.BaseDirectory, "interop", "pymodbus_tcp_server.py");
        var pymodbus = Track(ChildProcess.StartCommandLine(python, $"{script} {port}"));
        Assert.True(pymodbus.WaitForOutput("ready", TimeSpan.FromSeconds(20)), pymodbus.Output);

        ReadsTheKnownValuesOverTcp(port);
    }

    /// <summary>The values both independent servers hold for unit 17 (tests/interop/modbus_server.c says which).</summary>
    private static void ReadsTheKnownValuesOverTcp(int port)
    {
        using var link = new TcpMeterLink("127.0.0.1", port, 0, 10, scheme: "modbus-tcp");
        var master = new ModbusTcpMaster(link, SystemClock.Instance) { ResponseTimeoutMilliseconds = 1000 };
        var holding = new ushort[12];
        var status = ReadStatus.LinkDown;
        for (var attempt = 0; attempt < 50 && status == ReadStatus.LinkDown; attempt++)
        {
            // The server prints "ready" just before it listens: a refused connection is tried again.
            status = master.ReadHoldingRegisters(17, 0x0100, 12, holding);
            if (status == ReadStatus.LinkDown)
            {
                Thread.Sleep(100);
            }
        }

        Assert.Equal(ReadStatus.Ok, status);
        ReadsTheKnownValues(master, holding);

        // Both requests in one segment: the server answers each, and each reply lands in its block.
        master.MaxOutstanding = 2;
        var plan = new ModbusBlockPlanner().Plan(new[]
        {
            new ModbusPoint("int32", 17, ModbusFunction.ReadHoldingRegisters, 0x0102, ModbusDataType.Int32, ModbusWordOrder.BigEndian, 0),
            new ModbusPoint("uint32", 17, ModbusFunction.ReadInputRegisters, 0x0202, ModbusDataType.UInt32, ModbusWordOrder.BigEndian, 0),
        });
        var statuses = new ReadStatus[plan.BlockCount];
        master.ReadPipelined(plan, statuses);
        Assert.Equal([ReadStatus.Ok, ReadStatus.Ok], statuses);
        Assert.Equal("-12345678", Decode(plan.GetBlock(0).Registers, 0, ModbusDataType.Int32));
        Assert.Equal("4000000000", Decode(plan.GetBlock(1).Registers, 0, ModbusDataType.UInt32));
    }

    /// <summary>Unit 17's values in both independent servers (tests/interop/modbus_server.c names them), the holding
    /// registers already read into <paramref name="holding"/>, then the input registers and an exception reply.</summary>
    private static void ReadsTheKnownValues(ModbusMaster master, ushort[] holding)
    {
        Assert.Equal("-1234", Decode(holding, 0, ModbusDataType.Int16));
        Assert.Equal("60000", Decode(holding, 1, ModbusDataType.UInt16));
        Assert.Equal("-12345678", Decode(holding, 2, ModbusDataType.Int32));
        Assert.Equal("230.5", Decode(holding, 4, ModbusDataType.Float32, decimals: 1));
        Assert.Equal("49.98", Decode(holding, 6, ModbusDataType.Float32, ModbusWordOrder.LittleEndian, decimals: 2));
        Assert.Equal("-1234567890123", Decode(holding, 8, ModbusDataType.Int64));

        var input = new ushort[4];
        Assert.Equal(ReadStatus.Ok, master.ReadInputRegisters(17, 0x0200, 4, input));
        Assert.Equal("12345.67", Decode(input, 0, ModbusDataType.Float32, decimals: 2));
        Assert.Equal("4000000000", Decode(input, 2, ModbusDataType.UInt32));

        Assert.Equal(ReadStatus.ErrorReply, master.ReadHoldingRegisters(17, 0x0300, 1, holding));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, master.LastException);
    }

    private ChildProcess Track(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>Runs mbpoll once and returns its "[reference]: value" lines.</summary>
    private static Dictionary<int, double> Poll(string mbpoll, string arguments)
    {
        var (exitCode, output) = Peers.Run(mbpoll, arguments, TimeSpan.FromSeconds(10));
        Assert.True(exitCode == 0, output);
        var values = Regex.Matches(output, @"^\[(\d+)\]:\s+(-?[\d.e+]+)", RegexOptions.Multiline)
            .ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.True(values.Count > 0, output);
        return values;
    }

    private static string Decode(ushort[] registers, int offset, ModbusDataType type, ModbusWordOrder order = ModbusWordOrder.BigEndian, int decimals = 0)
    {
        var point = new ModbusPoint("p", 17, ModbusFunction.ReadHoldingRegisters, 0, type, order, 0, decimals);
        Assert.Equal(ModbusValueStatus.Ok, ModbusValueCodec.Decode(point, registers, offset, out var value));
        return value.ToString();
    }

    private static double ToDouble(FixedDecimal value) => value.Mantissa / Math.Pow(10, value.Scale);
}
