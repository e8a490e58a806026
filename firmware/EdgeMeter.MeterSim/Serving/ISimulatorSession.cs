namespace EdgeMeter.MeterSim.Serving;

/// <summary>One client's byte stream into the simulator, framed as the line it imitates.</summary>
public interface ISimulatorSession
{
    /// <summary>Takes received bytes; returns the replies to send, in order, each after its delay.</summary>
    IReadOnlyList<SimulatorReply> Receive(ReadOnlySpan<byte> bytes);

    /// <summary>The line has been quiet for a while.</summary>
    IReadOnlyList<SimulatorReply> Silence();

    /// <summary>The stream can no longer be understood and the connection should close.</summary>
    bool Broken { get; }
}
