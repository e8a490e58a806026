using System.Net;

namespace EdgeMeter.Receiver.Ingest.Guard;

/// <summary>
/// Connections accepted whose CONNECT has not arrived yet, counted per source address and in total, so that a flood of
/// sockets that say nothing cannot hold the broker's memory or file descriptors.
/// </summary>
public sealed class PendingConnections(int maxTotal, int maxPerAddress)
{
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Lock _lock = new();
    private int _total;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>The client's address as one key: an IPv4 address arriving on an IPv6 socket counts as itself.</summary>
    public static IPAddress SourceOf(EndPoint? remote) =>
        remote is IPEndPoint { Address: var address } ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address) : IPAddress.None;

    /// <summary>Takes a place for a new connection from <paramref name="address"/>; false: it must be closed at once.</summary>
    public bool TryEnter(IPAddress address)
    {
        lock (_lock)
        {
            var fromThere = _perAddress.GetValueOrDefault(address);
            if (_total >= maxTotal || fromThere >= maxPerAddress)
            {
                return false;
            }

            _perAddress[address] = fromThere + 1;
            _total++;
            return true;
        }
    }

    public void Leave(IPAddress address)
    {
        lock (_lock)
        {
            var left = _perAddress.GetValueOrDefault(address) - 1;
            if (left <= 0)
            {
                _perAddress.Remove(address);
            }
            else
            {
                _perAddress[address] = left;
            }

            _total--;
        }
    }
}
