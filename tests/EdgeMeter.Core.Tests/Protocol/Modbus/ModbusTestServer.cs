using EdgeMeter.Core.Protocol;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.MeterSim.Protocol.Modbus;

namespace EdgeMeter.Core.Tests.Protocol.Modbus;

/// <summary>
/// A Modbus server built only from the core's server-side codec (request reader and parser, response builders),
/// as the meter simulator will be. Registers and bits exist at addresses below <see cref="Size"/>.
/// </summary>
internal sealed class ModbusTestServer
{
    private readonly ModbusFrameReader _reader = ModbusFrameReader.ForRequests();
    private readonly ModbusRequest _request = new();

    public ModbusTestServer(byte unit, int size = 1000)
    {
        Unit = unit;
        Size = size;
        Holding = new ushort[size];
        Input = new ushort[size];
        Coils = new bool[size];
        DiscreteInputs = new bool[size];
    }

    public byte Unit { get; }

    public int Size { get; }

    public ushort[] Holding { get; }

    public ushort[] Input { get; }

    public bool[] Coils { get; }

    public bool[] DiscreteInputs { get; }

    /// <summary>When set, every request for this unit is answered with this exception.</summary>
    public ModbusExceptionCode ForcedException { get; set; }

    public int RequestsServed { get; private set; }

    /// <summary>Serves one request frame as it arrived on the line; null means no reply.</summary>
    public byte[]? Serve(byte[] frame)
    {
        _reader.Reset();
        _reader.Append(frame, 0, frame.Length);
        if (_reader.State == ModbusFrameState.Unframeable && frame.Length >= 2 && frame[0] == Unit)
        {
            // Unknown function: the reader cannot tell where the frame ends, but unit and function are known.
            var exception = new byte[5];
            ModbusResponseBuilder.BuildException(exception, Unit, (ModbusFunction)frame[1], ModbusExceptionCode.IllegalFunction);
            return exception;
        }

        if (_reader.State != ModbusFrameState.Complete
            || ModbusRequestParser.Parse(_reader.Buffer, _reader.Length, _request) != ReadStatus.Ok)
        {
            return null;
        }

        if (_request.Unit != Unit && !_request.IsBroadcast)
        {
            return null;
        }

        RequestsServed++;
        var response = new byte[ModbusFrameReader.MaxFrameLength];
        var length = Handle(response);
        return _request.IsBroadcast ? null : response[..length];
    }

    private int Handle(byte[] response)
    {
        var code = ForcedException != ModbusExceptionCode.None ? ForcedException : _request.Violation;
        if (code == ModbusExceptionCode.None && _request.Address + _request.Count > Size)
        {
            code = ModbusExceptionCode.IllegalDataAddress;
        }

        if (code != ModbusExceptionCode.None)
        {
            return ModbusResponseBuilder.BuildException(response, _request.Unit, _request.Function, code);
        }

        switch (_request.Function)
        {
            case ModbusFunction.ReadCoils:
                return ModbusResponseBuilder.BuildReadBits(response, Unit, _request.Function, Coils, _request.Address, _request.Count);
            case ModbusFunction.ReadDiscreteInputs:
                return ModbusResponseBuilder.BuildReadBits(response, Unit, _request.Function, DiscreteInputs, _request.Address, _request.Count);
            case ModbusFunction.ReadHoldingRegisters:
                return ModbusResponseBuilder.BuildReadRegisters(response, Unit, _request.Function, Holding, _request.Address, _request.Count);
            case ModbusFunction.ReadInputRegisters:
                return ModbusResponseBuilder.BuildReadRegisters(response, Unit, _request.Function, Input, _request.Address, _request.Count);
            case ModbusFunction.WriteSingleCoil:
            case ModbusFunction.WriteMultipleCoils:
                for (var i = 0; i < _request.Count; i++)
                {
                    Coils[_request.Address + i] = _request.GetCoil(i);
                }

                return ModbusResponseBuilder.BuildWriteEcho(response, _request);
            default:
                for (var i = 0; i < _request.Count; i++)
                {
                    Holding[_request.Address + i] = _request.GetRegister(i);
                }

                return ModbusResponseBuilder.BuildWriteEcho(response, _request);
        }
    }
}
