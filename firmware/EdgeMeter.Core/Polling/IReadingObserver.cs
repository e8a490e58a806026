using EdgeMeter.Core.Buffer;

namespace EdgeMeter.Core.Polling;

/// <summary>Sees every reading once it is committed to flash (a PC trace file, a test, a serial console).</summary>
public interface IReadingObserver
{
    void Committed(Reading[] readings, int count);
}
