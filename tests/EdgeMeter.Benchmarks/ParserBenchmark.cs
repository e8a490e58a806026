using BenchmarkDotNet.Attributes;
using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.Core.Values;
using EdgeMeter.MeterSim.Protocol.Dlt645;
using EdgeMeter.MeterSim.Protocol.Modbus;

namespace EdgeMeter.Benchmarks;

/// <summary>
/// Issue 9, part 6: reply frames parsed per second, as the gateway's masters parse them: a DL/T 645-2007 read reply
/// (4 FE bytes, the frame, one 4-byte energy value) fed byte by byte to the streaming parser and decoded to an exact
/// decimal; a Modbus RTU reply assembled by the length-aware reader, checked against its request (CRC, unit,
/// function, byte count) and decoded, for one float32 point and for a 9-point block.
/// </summary>
[MemoryDiagnoser]
public class ParserBenchmark
{
    private readonly Dlt645FrameParser _dlt645 = new();
    private readonly ModbusFrameReader _modbusReader = ModbusFrameReader.ForResponses();
    private readonly ushort[] _registers = new ushort[ModbusRtuRequest.MaxReadRegisters];
    private byte[] _dlt645Reply = [];
    private Dlt645DataItem _energy = null!;
    private byte[] _singleRequest = [];
    private byte[] _singleReply = [];
    private byte[] _blockRequest = [];
    private byte[] _blockReply = [];
    private ModbusPoint[] _blockPoints = [];

    [GlobalSetup]
    public void Setup()
    {
        _energy = Dlt645Catalogue.Find(0x00010000, Dlt645Version.V2007)!;
        var value = new byte[4];
        Dlt645ValueCodec.TryEncode(_energy, new FixedDecimal(12345678, 2), value, 0);
        var frame = new byte[Dlt645FrameEncoder.MaxFrameLength];
        var length = Dlt645ReplyEncoder.EncodeReadReply(
            frame, 0, 4, Dlt645Version.V2007, Dlt645Address.Parse("123456789012"), 0x00010000, value, 0, value.Length, false);
        _dlt645Reply = frame[..length];

        _blockPoints = [.. Enumerable.Range(0, 9).Select(i =>
            new ModbusPoint("p" + i, 1, ModbusFunction.ReadInputRegisters, i * 2, ModbusDataType.Float32, decimals: 2))];
        var registers = new ushort[18];
        for (var i = 0; i < _blockPoints.Length; i++)
        {
            ModbusValueCodec.Encode(_blockPoints[i], new FixedDecimal(22010 + i, 2), registers, i * 2);
        }

        (_singleRequest, _singleReply) = ModbusExchange(registers, 2);
        (_blockRequest, _blockReply) = ModbusExchange(registers, 18);
        if (ParseDlt645Reply() != 12345678 || ParseModbusSinglePoint() != 22010 || ParseModbusBlockOf9Points() != 22018)
        {
            throw new InvalidOperationException("the benchmark frames do not decode to what was encoded");
        }
    }

    [Benchmark]
    public long ParseDlt645Reply()
    {
        _dlt645.Reset();
        var reply = _dlt645Reply;
        for (var i = 0; i < reply.Length; i++)
        {
            if (_dlt645.Feed(reply[i]))
            {
                var frame = _dlt645.Frame;
                if (frame.TryGetDataIdentifier(Dlt645Version.V2007, out var di) && di == 0x00010000
                    && Dlt645ValueCodec.TryDecode(_energy, frame.Data, 4, frame.DataLength - 4, out var value))
                {
                    return value.Mantissa;
                }
            }
        }

        return -1;
    }

    [Benchmark]
    public long ParseModbusSinglePoint() => ParseModbus(_singleRequest, _singleReply, 1);

    [Benchmark]
    public long ParseModbusBlockOf9Points() => ParseModbus(_blockRequest, _blockReply, 9);

    private long ParseModbus(byte[] request, byte[] reply, int points)
    {
        _modbusReader.Reset();
        _modbusReader.Append(reply, 0, reply.Length);
        if (_modbusReader.State != ModbusFrameState.Complete
            || ModbusRtuResponse.Check(request, _modbusReader.Buffer, _modbusReader.Length, out _) != ReadStatus.Ok)
        {
            return -1;
        }

        ModbusRtuResponse.CopyRegisters(_modbusReader.Buffer, _registers, points * 2);
        long last = -1;
        for (var i = 0; i < points; i++)
        {
            if (ModbusValueCodec.Decode(_blockPoints[i], _registers, i * 2, out var value) == ModbusValueStatus.Ok)
            {
                last = value.Mantissa;
            }
        }

        return last;
    }

    private static (byte[] Request, byte[] Reply) ModbusExchange(ushort[] registers, int count)
    {
        var request = new byte[ModbusFrameReader.MaxFrameLength];
        var requestLength = ModbusRtuRequest.BuildRead(request, 1, ModbusFunction.ReadInputRegisters, 0, count);
        var reply = new byte[ModbusFrameReader.MaxFrameLength];
        var replyLength = ModbusResponseBuilder.BuildReadRegisters(reply, 1, ModbusFunction.ReadInputRegisters, registers, 0, count);
        return (request[..requestLength], reply[..replyLength]);
    }
}
