namespace EdgeMeter.Core.Polling;

/// <summary>Work other than polling that must share a bus's one-request-at-a-time discipline (e.g. time sync).</summary>
public interface IBusTask
{
    void Run();
}
