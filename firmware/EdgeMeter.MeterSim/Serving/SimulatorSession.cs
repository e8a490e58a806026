using EdgeMeter.Core.Protocol.Cjt188;
using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.Core.Protocol.Modbus;
using EdgeMeter.MeterSim.Protocol.Modbus;

namespace EdgeMeter.MeterSim.Serving;

/// <summary>
/// One byte stream into the simulated bus (a TCP client, a serial port). Every byte goes to a DL/T 645 and a CJ/T 188
/// frame parser and to a Modbus request scanner; whichever completes a request for a served meter gets it answered.
/// Not thread-safe: one session per stream.
/// </summary>
public sealed class SimulatorSession : ISimulatorSession
{
    private readonly MeterSimulator _simulator;
    private readonly Dlt645FrameParser _dlt645 = new();
    private readonly Cjt188FrameParser _cjt188 = new();
    private readonly ModbusRequestScanner _modbus = new();
    private readonly ModbusRequest _request = new();

    internal SimulatorSession(MeterSimulator simulator)
    {
        _simulator = simulator;
    }

    /// <summary>Takes received bytes; returns the replies to send, in order, each after its delay.</summary>
    public IReadOnlyList<SimulatorReply> Receive(ReadOnlySpan<byte> bytes)
    {
        var replies = new List<SimulatorReply>();
        foreach (var value in bytes)
        {
            var cjt188 = _cjt188.Feed(value);
            if (_dlt645.Feed(value))
            {
                _modbus.Reset();
                _cjt188.Reset();
                if (!_dlt645.Frame.IsReply)
                {
                    _simulator.AnswerDlt645(_dlt645.Frame, replies);
                }
            }
            else if (cjt188)
            {
                _modbus.Reset();
                _dlt645.Reset();
                _simulator.AnswerCjt188(_cjt188.Frame, replies);
            }
            else if (_modbus.Feed(value))
            {
                _dlt645.Reset();
                _simulator.AnswerModbus(_modbus.Frame, _modbus.Length, _request, replies);
            }
        }

        return replies;
    }

    /// <summary>
    /// The line has been quiet for a while: a Modbus request whose function has no length rule may have ended
    /// (it is answered with "illegal function"); anything else held is dropped.
    /// </summary>
    public IReadOnlyList<SimulatorReply> Silence()
    {
        var replies = new List<SimulatorReply>();
        if (_modbus.TakeSilentFrame())
        {
            _dlt645.Reset();
            _simulator.AnswerModbus(_modbus.Frame, _modbus.Length, _request, replies);
        }

        return replies;
    }

    /// <summary>A byte stream of a bus never breaks: noise is skipped.</summary>
    public bool Broken => false;
}
