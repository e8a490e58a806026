using Microsoft.Extensions.Logging;
using Npgsql;

namespace EdgeMeter.Receiver.Store;

/// <summary>
/// The work lease of receivers sharing a PostgreSQL database: a session advisory lock, held on a connection of its
/// own. PostgreSQL releases it the moment that session ends: a receiver that exits or is killed closes its socket;
/// the session of one whose machine vanished ends when the server's TCP keepalives find it gone (tcp_keepalives_idle,
/// docs/receiver.md). The others try to take it every
/// <see cref="CheckInterval"/>; the holder checks every interval that its session is still there and gives the lease
/// up when it is not (its database link broke, so another receiver may hold it now).
/// </summary>
internal sealed class AdvisoryLease : WorkLease
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private const long LockKey = 0x45_64_67_65_4D_32; // "EdgeM2"

    private readonly NpgsqlDataSource _source;
    private readonly ILogger _log;
    private readonly string _database;
    private readonly Timer _timer;
    private readonly Lock _checking = new();
    private NpgsqlConnection? _session;
    private volatile bool _held;
    private long _term;
    private bool _disposed;

    public AdvisoryLease(string connectionString, string database, ILogger log)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5, CommandTimeout = 5 };
        _source = NpgsqlDataSource.Create(builder);
        _database = database;
        _log = log;
        Check();
        _timer = new Timer(_ => Check(), null, CheckInterval, CheckInterval);
    }

    public override bool IsHeld => _held;

    public override long Term => Interlocked.Read(ref _term);

    public override void Dispose()
    {
        lock (_checking)
        {
            _disposed = true;
            _timer.Dispose();
            _held = false;
            _session?.Dispose();
            _source.Dispose();
        }
    }

    private void Check()
    {
        lock (_checking)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                _session ??= _source.OpenConnection();
                if (_held)
                {
                    _session.Execute("SELECT 1");
                }
                else if (_session.Scalar("SELECT pg_try_advisory_lock(@key)", ("@key", LockKey)) is true)
                {
                    Interlocked.Increment(ref _term);
                    _held = true;
                    _log.LogInformation("store {Database}: this receiver took the work lease (relay, indicators, commands, retention)", _database);
                    OnTaken();
                }
            }
            catch (Exception failure) when (failure is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                if (_held)
                {
                    _log.LogWarning("store {Database}: the work lease's session broke, lease given up: {Reason}", _database, failure.Message);
                }

                _held = false;
                _session?.Dispose();
                _session = null;
            }
        }
    }
}
