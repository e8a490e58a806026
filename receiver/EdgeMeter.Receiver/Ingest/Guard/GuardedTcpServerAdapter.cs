using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Ops;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace EdgeMeter.Receiver.Ingest.Guard;

/// <summary>A listener of the embedded broker: address, port, and the server certificate when it speaks TLS.</summary>
public sealed record GuardedEndpoint(IPAddress Address, int Port, X509Certificate2? Certificate);

/// <summary>
/// The embedded broker's TCP listeners in place of MQTTnet's own, with the limits a broker open to the Internet needs
/// before anyone has logged in (Ingest.Embedded.Limits): a place among the pending connections (per source address
/// and in total) or the socket is closed at once; the TLS handshake and the CONNECT within ConnectTimeoutSeconds; a
/// CONNECT of at most MaxConnectBytes and every later packet of at most MaxPacketBytes, refused at its length field
/// before its body is read. After the CONNECT, MQTTnet's channel adapter carries the connection as usual.
/// </summary>
public sealed class GuardedTcpServerAdapter(IReadOnlyList<GuardedEndpoint> endpoints, BrokerLimits limits, PendingConnections pending, ILogger log) : IMqttServerAdapter
{
    private readonly List<Socket> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly SampledLog _refusals = new(log, TimeSpan.FromMinutes(1));
    private MqttServerOptions? _options;
    private IMqttNetLogger? _logger;
    private bool _stopped;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        (_options, _logger) = (options, logger);
        foreach (var endpoint in endpoints)
        {
            var listener = new Socket(endpoint.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(endpoint.Address, endpoint.Port));
            listener.Listen(limits.MaxPendingConnections);
            _listeners.Add(listener);
            _ = Task.Run(() => AcceptAsync(listener, endpoint, _stop.Token));
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        _listeners.Clear();
    }

    public void Dispose() => StopAsync().GetAwaiter().GetResult(); // the token source stays for accept loops still unwinding

    private async Task AcceptAsync(Socket listener, GuardedEndpoint endpoint, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                log.LogWarning("broker: accepting a connection failed: {Error}", e.SocketErrorCode);
                continue;
            }

            _ = Task.Run(() => HandleAsync(client, endpoint));
        }
    }

    private async Task HandleAsync(Socket client, GuardedEndpoint endpoint)
    {
        var address = PendingConnections.SourceOf(client.RemoteEndPoint);
        if (!pending.TryEnter(address))
        {
            _refusals.Note($"broker: closed connections over the limit of pending ones ({limits.MaxPendingConnections} in all, {limits.MaxPendingPerAddress} per address)", address.ToString());
            client.Dispose();
            return;
        }

        var pendingLeft = 0;
        void Connected()
        {
            if (Interlocked.Exchange(ref pendingLeft, 1) == 0)
            {
                pending.Leave(address);
            }
        }

        // Until the CONNECT has arrived whole, the deadline closes the socket; afterwards MQTTnet's keep-alive rules.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(limits.ConnectTimeoutSeconds));
        using var overdue = deadline.Token.Register(() =>
        {
            if (Volatile.Read(ref pendingLeft) == 0)
            {
                _refusals.Note($"broker: closed connections that sent no CONNECT within {limits.ConnectTimeoutSeconds} s", address.ToString());
                client.Dispose();
            }
        });
        Stream? stream = null;
        try
        {
            client.NoDelay = true;
            stream = new NetworkStream(client, ownsSocket: true);
            if (endpoint.Certificate is { } certificate)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions { ServerCertificate = certificate, EncryptionPolicy = EncryptionPolicy.RequireEncryption }, deadline.Token);
            }

            stream = new MqttFrameGuardStream(stream, limits.MaxConnectBytes, limits.MaxPacketBytes, Connected,
                refusal => _refusals.Note($"broker: closed connections for {refusal}", address.ToString()));
            var channel = new MqttTcpChannel(stream, client.LocalEndPoint, client.RemoteEndPoint, null);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(_options!.WriterBufferSize, _options.WriterBufferSizeMax));
            using var adapter = new MqttChannelAdapter(channel, formatter, _logger);
            if (ClientHandler is { } handler)
            {
                await handler(adapter);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or AuthenticationException or OperationCanceledException)
        {
            log.LogDebug("broker: connection from {Address} ended: {Error}", address, e.Message);
        }
        finally
        {
            Connected(); // leaves the pending places if the CONNECT never came
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            client.Dispose();
        }
    }
}
