using EdgeMeter.Core.Buffer;

namespace EdgeMeter.Core.Uplink;

/// <summary>
/// The gateway's packet sequence number, strictly increasing across reboots on every topic. Numbers are reserved
/// in blocks: flash is written once per <see cref="BlockSize"/> packets and once per start, and a reboot skips
/// the rest of the block it was in. Gaps are allowed; repeats never happen.
/// </summary>
public sealed class PacketSequence : System.IDisposable
{
    public const int BlockSize = 1000;

    private const string FileName = "packet-seq";
    private const string Magic = "EMS1";

    private readonly DurablePair _reservation;
    private readonly object _gate = new object();
    private long _last;

    public PacketSequence(IFlashFileSystem fileSystem)
    {
        _reservation = DurablePair.Open(fileSystem, FileName, Magic);
        _last = _reservation.First;
        _reservation.Save(_last + BlockSize, 0);
    }

    /// <summary>The last number handed out (0 before the first).</summary>
    public long Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    public long Next()
    {
        lock (_gate)
        {
            _last++;
            if (_last > _reservation.First)
            {
                _reservation.Save(_last + BlockSize - 1, 0);
            }

            return _last;
        }
    }

    public void Dispose() => _reservation.Dispose();
}
