using System.Net;
using System.Net.Sockets;
using EdgeMeter.Core.Links;
using EdgeMeter.Pc.Links;

namespace EdgeMeter.MeterSim.Serving;

/// <summary>
/// Puts a <see cref="MeterSimulator"/> on a line: a TCP listener (like an RS-485-to-Ethernet serial server; each
/// client connection is its own view of the bus), a Modbus TCP listener (a PLC or a Modbus TCP gateway: MBAP frames
/// to the simulated Modbus devices by unit id) or a serial port (a USB RS-485 adapter, or a pty for bench tests).
/// Runs on background threads from <see cref="Start"/> until <see cref="Dispose"/>.
/// </summary>
public sealed class SimulatorHost : IDisposable
{
    /// <summary>After this long without a byte, the line counts as silent (ends an RTU frame of unknown length).</summary>
    private const int SilenceMilliseconds = 50;

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = [];
    private readonly HashSet<IDisposable> _resources = [];
    private readonly object _gate = new();
    private TcpListener? _listener;
    private bool _modbusTcp;

    private SimulatorHost(MeterSimulator simulator, LinkAddress link)
    {
        Simulator = simulator;
        Link = link;
    }

    public MeterSimulator Simulator { get; }

    /// <summary>Where clients reach the simulator: the TCP address with the port actually bound, or the serial link.</summary>
    public LinkAddress Link { get; private set; }

    /// <summary>Problems of the line threads (a serial port that cannot open, a client that failed), for the sim command to print.</summary>
    public event Action<string>? Problem;

    /// <summary>
    /// Listens on <paramref name="listen"/>: <c>tcp://HOST:PORT</c> or <c>modbus-tcp://HOST:PORT</c> (HOST an IP
    /// address or localhost) or a serial link. Throws <see cref="LinkException"/> when the address cannot be bound or the port opened.
    /// </summary>
    public static SimulatorHost Start(MeterSimulator simulator, LinkAddress listen)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(listen);
        var host = new SimulatorHost(simulator, listen);
        try
        {
            if (listen.Kind is LinkKind.Tcp or LinkKind.ModbusTcp)
            {
                host._modbusTcp = listen.Kind == LinkKind.ModbusTcp;
                host.StartTcp(ResolveListenAddress(listen.Target), listen.Port);
            }
            else
            {
                host.StartSerial(listen);
            }
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    /// <summary>Listens on a loopback TCP port; port 0 picks a free one (see <see cref="Link"/>). With
    /// <paramref name="modbusTcp"/> clients speak Modbus TCP instead of the bus's bytes.</summary>
    public static SimulatorHost StartTcp(MeterSimulator simulator, int port = 0, bool modbusTcp = false)
    {
        var host = new SimulatorHost(simulator, LinkAddress.Parse("tcp://127.0.0.1:1")) { _modbusTcp = modbusTcp };
        host.StartTcp(IPAddress.Loopback, port);
        return host;
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener?.Stop();
        Thread[] threads;
        lock (_gate)
        {
            foreach (var resource in _resources)
            {
                resource.Dispose();
            }

            threads = [.. _threads];
        }

        foreach (var thread in threads)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }

        _stop.Dispose();
    }

    private void StartTcp(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
        }
        catch (SocketException failure)
        {
            throw new LinkException($"cannot listen on {address}:{port}: {failure.Message}", failure);
        }

        _listener = listener;
        var bound = (IPEndPoint)listener.LocalEndpoint;
        var host = bound.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bound.Address}]" : bound.Address.ToString();
        Link = LinkAddress.Parse($"{(_modbusTcp ? "modbus-tcp" : "tcp")}://{host}:{bound.Port}");
        StartThread("sim-accept", AcceptClients);
    }

    private void StartSerial(LinkAddress address)
    {
        var link = new SerialMeterLink(address);
        Track(link);
        link.DiscardInput();
        link.Read(new byte[1], 0, 1, 1); // opens the port now, so a wrong device fails Start, not a thread
        StartThread("sim-serial", () => Serve(link.Read, link.Write));
    }

    private void AcceptClients()
    {
        var listener = _listener!;
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = listener.AcceptSocket();
            }
            catch (Exception failure) when (failure is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            client.NoDelay = true;
            Track(client);
            StartThread("sim-client", () => ServeClient(client));
        }
    }

    private void ServeClient(Socket client)
    {
        try
        {
            Serve(
                (buffer, offset, count, timeout) =>
                {
                    if (!client.Poll(TimeSpan.FromMilliseconds(timeout), SelectMode.SelectRead))
                    {
                        return 0;
                    }

                    var read = client.Receive(buffer, offset, count, SocketFlags.None);
                    return read > 0 ? read : throw new LinkException("client closed the connection");
                },
                (buffer, offset, count) => client.Send(buffer, offset, count, SocketFlags.None));
        }
        catch (Exception failure) when (failure is SocketException or ObjectDisposedException or LinkException)
        {
            // The client went away, or we are stopping.
        }
        finally
        {
            lock (_gate)
            {
                _resources.Remove(client);
            }

            client.Dispose();
        }
    }

    // The loop of one byte stream: read, answer after each reply's delay, and tell the session about silence.
    private void Serve(Func<byte[], int, int, int, int> read, Action<byte[], int, int> write)
    {
        ISimulatorSession session = _modbusTcp ? Simulator.OpenModbusTcpSession() : Simulator.OpenSession();
        var buffer = new byte[512];
        var quiet = true;
        while (!_stop.IsCancellationRequested && !session.Broken)
        {
            var count = read(buffer, 0, buffer.Length, SilenceMilliseconds);
            IReadOnlyList<SimulatorReply> replies;
            if (count > 0)
            {
                quiet = false;
                replies = session.Receive(buffer.AsSpan(0, count));
            }
            else if (!quiet)
            {
                quiet = true;
                replies = session.Silence();
            }
            else
            {
                continue;
            }

            foreach (var reply in replies)
            {
                if (reply.DelayMilliseconds > 0 && _stop.Token.WaitHandle.WaitOne(reply.DelayMilliseconds))
                {
                    return;
                }

                write(reply.Bytes, 0, reply.Bytes.Length);
            }
        }
    }

    // A line thread never takes the process down: a failure ends that thread and is reported, unless we are stopping.
    private void StartThread(string name, Action body)
    {
        void Run()
        {
            try
            {
                body();
            }
            catch (Exception failure) when (failure is LinkException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                if (!_stop.IsCancellationRequested)
                {
                    Problem?.Invoke(failure.Message);
                }
            }
        }

        var thread = new Thread(Run) { IsBackground = true, Name = name };
        lock (_gate)
        {
            _threads.RemoveAll(t => !t.IsAlive);
            _threads.Add(thread);
        }

        thread.Start();
    }

    private void Track(IDisposable resource)
    {
        lock (_gate)
        {
            _resources.Add(resource);
        }
    }

    private static IPAddress ResolveListenAddress(string host)
    {
        if (host == "localhost")
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out var address)
            ? address
            : throw new LinkException($"listen address '{host}' must be an IP address (e.g. 127.0.0.1 or 0.0.0.0) or localhost");
    }
}
