using EdgeMeter.MeterSim.Protocol.Modbus;

namespace EdgeMeter.MeterSim.Serving;

/// <summary>
/// One Modbus TCP client of the simulator, as a PLC or a Modbus TCP gateway sees it: every ADU is answered by the
/// simulated Modbus device with its unit id, in the same transaction. DL/T 645 meters are not reachable this way.
/// </summary>
public sealed class ModbusTcpSimulatorSession : ISimulatorSession
{
    private readonly MeterSimulator _simulator;
    private readonly ModbusTcpAduReader _reader = new();
    private readonly ModbusRequest _request = new();

    internal ModbusTcpSimulatorSession(MeterSimulator simulator)
    {
        _simulator = simulator;
    }

    public bool Broken => _reader.Broken;

    public IReadOnlyList<SimulatorReply> Receive(ReadOnlySpan<byte> bytes)
    {
        var replies = new List<SimulatorReply>();
        foreach (var value in bytes)
        {
            if (!_reader.Feed(value))
            {
                continue;
            }

            var answered = new List<SimulatorReply>();
            _simulator.AnswerModbus(_reader.Frame, _reader.Length, _request, answered);
            foreach (var reply in answered)
            {
                replies.Add(reply with { Bytes = ModbusTcpAduReader.ToAdu(reply.Bytes, reply.Bytes.Length, _reader.Transaction) });
            }
        }

        return replies;
    }

    public IReadOnlyList<SimulatorReply> Silence() => [];
}
