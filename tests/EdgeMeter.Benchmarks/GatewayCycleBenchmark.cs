using BenchmarkDotNet.Attributes;
using EdgeMeter.Benchmarks.Support;

namespace EdgeMeter.Benchmarks;

/// <summary>
/// Issue 9, part 3: the gateway core in steady state on a PC. One operation is one poll cycle of 4 meters x 8
/// points (32 readings): the DL/T 645 or Modbus master encodes each request and decodes each reply (replayed from
/// recorded simulator exchanges, so the meters cost nothing), the recorder stamps the readings and commits them to
/// the flash buffer (RAM), and in <see cref="PollAndPublish"/> the uplink reads them back, signs them into packets
/// and advances the cursor on the broker's acknowledgement. Target: 0 bytes allocated per cycle.
/// </summary>
[MemoryDiagnoser]
public class GatewayCycleBenchmark
{
    public const int MetersPerCycle = 4;

    private BenchGateway _gateway = null!;

    [Params("dlt645", "modbus")]
    public string Protocol { get; set; } = "dlt645";

    /// <summary>
    /// upload.maxReadingsPerPacket: 40 is the default, but only about 7 readings fit the default 1 KB packet, so the
    /// uplink reads 40 and sends 7; with 5 every reading read is sent.
    /// </summary>
    [Params(40, 5)]
    public int ReadingsPerPacket { get; set; } = 40;

    public int ReadingsPerCycle => MetersPerCycle * 8; // the default 8 points per meter

    [GlobalSetup]
    public void Setup()
    {
        _gateway = new BenchGateway(new BenchGatewayOptions
        {
            Dlt645Meters = Protocol == "dlt645" ? MetersPerCycle : 0,
            ModbusMeters = Protocol == "modbus" ? MetersPerCycle : 0,
            MaxReadingsPerPacket = ReadingsPerPacket,
        });
        _gateway.RecordThenReplay(cycles: 16);
        for (var i = 0; i < 200; i++)
        {
            _gateway.RunCycle();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _gateway.Dispose();

    /// <summary>Poll and store only; the cursor is moved directly, as the uplink would after its acknowledgements.</summary>
    [Benchmark]
    public long Poll()
    {
        _gateway.Poll();
        var buffer = _gateway.Runtime.Buffer;
        buffer.Acknowledge(buffer.CommittedSequence);
        return buffer.CommittedSequence;
    }

    /// <summary>The whole cycle: poll, store, publish signed packets, acknowledge.</summary>
    [Benchmark(Baseline = true)]
    public long PollAndPublish()
    {
        _gateway.RunCycle();
        return _gateway.Runtime.Buffer.CommittedSequence;
    }
}
