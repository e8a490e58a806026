using System.Net;
using System.Net.Sockets;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Core.Uplink;
using EdgeMeter.Receiver.Auth;
using EdgeMeter.Receiver.Commands;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Indicators;
using EdgeMeter.Receiver.Ingest;
using EdgeMeter.Receiver.Keys;
using EdgeMeter.Receiver.Ops;
using EdgeMeter.Receiver.Pushes;
using EdgeMeter.Receiver.Relay;
using EdgeMeter.Receiver.Store;
using EdgeMeter.Receiver.Verify;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeMeter.Receiver;

/// <summary>How to run the receiver in-process (tests, the demo); the CLI uses the defaults.</summary>
public sealed class ReceiverStartOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where logs go; null builds a console logger from ReceiverOptions.Logging.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Seeds the retry jitter, for repeatable runs.</summary>
    public int? RandomSeed { get; init; }

    /// <summary>The file the options came from: its broker accounts are taken again when it changes (embedded broker).</summary>
    public string? ConfigPath { get; init; }
}

/// <summary>
/// Builds and starts the whole receiver from options: store, keys, ingest (embedded broker or external broker),
/// relay tiers, command delivery and the admin/ops HTTP endpoints. The CLI's `run` is this plus signal handling.
/// </summary>
public static class ReceiverApp
{
    /// <summary>
    /// Starts everything and returns once packets are accepted. Throws <see cref="ConfigException"/> for bad options
    /// (including an unreadable key file) and the underlying exception when a port or the database cannot be opened.
    /// </summary>
    public static async Task<RunningReceiver> StartAsync(ReceiverOptions options, ReceiverStartOptions? start = null, CancellationToken cancellation = default)
    {
        start ??= new ReceiverStartOptions();
        var problems = OptionsValidator.Validate(options);
        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        var ownsLoggerFactory = start.LoggerFactory is null;
        var loggerFactory = start.LoggerFactory ?? CreateLoggerFactory(options.Logging);
        var log = loggerFactory.CreateLogger("edgemeter.receiver");
        var keys = LoadKeys(options.Keys.File);
        var time = start.Time;
        var random = start.RandomSeed is { } seed ? new Random(seed) : new Random();
        var disposables = new Stack<IAsyncDisposable>();
        try
        {
            var store = PacketStore.Open(options.Store, time, loggerFactory.CreateLogger("edgemeter.store"));
            disposables.Push(new AsyncDisposer(() => store.Dispose()));
            var audit = new AuditLog(options.Admin.AuditLog, time);
            disposables.Push(new AsyncDisposer(() => audit.Dispose()));

            var metrics = new ReceiverMetrics();
            var topics = new MqttTopics(options.TopicPrefix);
            var intake = new PacketIntake(keys, topics, options.MaxPacketBytes);
            var pipeline = new IngestPipeline(intake, store, metrics, time, loggerFactory.CreateLogger("edgemeter.ingest"));
            var routing = Routing.From(options);
            var items = ItemCatalogue.From(options);
            var tiers = options.Platforms.Select(platform => CreateTier(platform, routing, items, store, metrics, time, loggerFactory, random)).ToList();
            var indicatorMetrics = new IndicatorMetrics();
            var indicatorLog = loggerFactory.CreateLogger("edgemeter.indicators");
            var feeder = new SeriesFeeder(store, items, indicatorMetrics, time, indicatorLog);
            var engine = new IndicatorEngine(store, items, options.Indicators, indicatorMetrics, time, indicatorLog);
            feeder.ItemsChanged += engine.Wake;
            engine.UploadsQueued += () =>
            {
                foreach (var tier in tiers.OfType<HttpTier>())
                {
                    tier.Wake();
                }
            };

            CommandService? commandService = null;
            var pushKeys = options.PlatformAccounts.Where(account => account.Push is not null)
                .ToDictionary(account => account.Username, account => PlatformPushKey.Load(account.Username, account.Push!), StringComparer.Ordinal);
            var pushes = new PlatformPushes(
                new PlatformPushVerifier(pushKeys, time), routing, store, () => commandService!, audit, time, loggerFactory.CreateLogger("edgemeter.pushes"));

            int? brokerPort = null;
            BrokerCredentials? credentials = null;
            IIngest ingest;
            if (options.Ingest.Mode == IngestMode.Embedded)
            {
                var embedded = options.Ingest.Embedded;
                var port = embedded.PlainEnabled ? (embedded.Port == 0 ? FreePort(embedded.Address) : embedded.Port) : 0;
                credentials = new BrokerCredentials(options);
                ingest = new EmbeddedBrokerIngest(
                    embedded, port, topics, credentials, pipeline, store, metrics, loggerFactory.CreateLogger("edgemeter.broker"),
                    pushes, pushKeys.Keys.ToHashSet(StringComparer.Ordinal));
                brokerPort = embedded.PlainEnabled ? port : null;
            }
            else
            {
                ingest = new ExternalBrokerIngest(options.Ingest.External, topics, pipeline, loggerFactory.CreateLogger("edgemeter.ingest"), pushKeys.Count > 0 ? pushes : null);
            }

            var commands = commandService = new CommandService(
                store, keys, topics, ingest, metrics, time, loggerFactory.CreateLogger("edgemeter.commands"),
                sessionsSurviveRestart: options.Ingest.Mode == IngestMode.External);
            store.NewData += () =>
            {
                feeder.Wake();
                foreach (var tier in tiers.OfType<MqttTier>())
                {
                    tier.Wake();
                }
            };

            var indicators = new IndicatorServices(items, options.Indicators, engine, indicatorMetrics);
            var services = new ReceiverServices(
                options.Ingest.Mode.ToString(), store, pipeline, ingest, tiers, commands, pushes, metrics, indicators, new AdminTokens(options.Admin.Tokens), audit, time);
            var web = BuildWeb(options, loggerFactory, services);

            foreach (var tier in tiers)
            {
                tier.Start();
                disposables.Push(tier);
            }

            feeder.Start();
            disposables.Push(feeder);
            engine.Start();
            disposables.Push(engine);
            commands.Start();
            disposables.Push(commands);
            var retention = new RawRetention(store, options.Store.Retention, [.. tiers.OfType<MqttTier>().Select(tier => new PacketTier(tier.Name, tier.Gateways))], time, loggerFactory.CreateLogger("edgemeter.retention"));
            retention.Start();
            disposables.Push(retention);
            // Messages stored but not forwarded (a receiver stopped in between) are background work: the lease holder's.
            if (store.Lease.IsHeld)
            {
                await pushes.ForwardPendingAsync();
            }

            store.Lease.Taken += () => _ = ForwardPendingAsync(pushes, log);
            var timeKeeper = new GatewayTimeKeeper(commands, ingest, time, loggerFactory.CreateLogger("edgemeter.time"));
            pipeline.StatusStored += (gateway, sequence, status) => timeKeeper.Offer(gateway, sequence, status);
            await ingest.StartAsync();
            disposables.Push(ingest);
            await web.StartAsync(cancellation);
            disposables.Push(new AsyncDisposer(async () =>
            {
                await web.StopAsync();
                await web.DisposeAsync();
            }));
            var accountsReload = credentials is not null && start.ConfigPath is { } configPath ? new BrokerAccountsReload(configPath, credentials, log) : null;
            var keyReload = time.CreateTimer(_ => { ReloadKeys(keys, log); accountsReload?.CheckNow(); }, null, TimeSpan.FromSeconds(options.Keys.ReloadSeconds), TimeSpan.FromSeconds(options.Keys.ReloadSeconds));
            disposables.Push(new AsyncDisposer(() => keyReload.Dispose()));
            var admin = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            log.LogInformation("receiver running: ingest {Mode}{Port}, admin {Admin}, {Keys} keys, {Tiers} tiers", options.Ingest.Mode,
                brokerPort is { } p ? $" on port {p}" : "", admin, keys.Count, tiers.Count);
            var tlsPort = options.Ingest.Mode == IngestMode.Embedded && options.Ingest.Embedded.Tls.Enabled ? options.Ingest.Embedded.Tls.Port : (int?)null;
            return new RunningReceiver(services, disposables, brokerPort, tlsPort, admin, keys, ownsLoggerFactory ? loggerFactory : null);
        }
        catch
        {
            while (disposables.TryPop(out var disposable))
            {
                await disposable.DisposeAsync();
            }

            if (ownsLoggerFactory)
            {
                loggerFactory.Dispose();
            }

            throw;
        }
    }

    public static ILoggerFactory CreateLoggerFactory(LoggingOptions logging) =>
        LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(Enum.Parse<LogLevel>(logging.Level, ignoreCase: true));
            builder.AddFilter("Microsoft", LogLevel.Warning);
            if (logging.Format == "json")
            {
                builder.AddJsonConsole(json => json.UseUtcTimestamp = true);
            }
            else
            {
                builder.AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.UseUtcTimestamp = true;
                    console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
                });
            }
        });

    // On the lease's thread: hand the work to the pool and log what fails.
    private static async Task ForwardPendingAsync(PlatformPushes pushes, ILogger log)
    {
        try
        {
            await Task.Yield();
            await pushes.ForwardPendingAsync();
        }
        catch (Exception failure) when (failure is System.Data.Common.DbException or InvalidOperationException or ObjectDisposedException)
        {
            log.LogWarning("platform messages waiting to be forwarded: {Reason}; they go at the next start or lease", failure.Message);
        }
    }

    private static ReceiverKeyStore LoadKeys(string path)
    {
        try
        {
            return ReceiverKeyStore.Load(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new ConfigException($"Keys.File: {failure.Message}");
        }
    }

    private static void ReloadKeys(ReceiverKeyStore keys, ILogger log)
    {
        var before = keys.Count;
        if (keys.ReloadIfChanged() is { } problem)
        {
            log.LogWarning("{Problem}", problem);
        }
        else if (keys.Count != before)
        {
            log.LogInformation("key file reloaded: {Count} keys", keys.Count);
        }
    }

    private static IRelayTier CreateTier(
        PlatformOptions platform, Routing routing, ItemCatalogue items, PacketStore store, ReceiverMetrics metrics, TimeProvider time, ILoggerFactory loggers, Random random)
    {
        var log = loggers.CreateLogger("edgemeter.relay");
        var seeded = new Random(random.Next());
        return platform.Http is not null
            ? new HttpTier(platform, routing, items, store, metrics, time, log, seeded)
            : new MqttTier(platform, routing, store, metrics, time, log, seeded);
    }

    private static WebApplication BuildWeb(ReceiverOptions options, ILoggerFactory loggerFactory, ReceiverServices services)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ReceiverApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.UseUrls(options.Admin.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (options.Admin.CertificateFile is { } certificateFile)
        {
            var certificate = CertificateFiles.LoadWithKey(certificateFile, options.Admin.CertificatePassword, options.Admin.CertificateKeyFile);
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        }

        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        AdminEndpoints.Map(app, services);
        WebConsole.ConsoleEndpoints.Map(app, services, new WebConsole.ConsoleUsers(options.Console.UsersFile), new WebConsole.ConsoleSessions(TimeSpan.FromMinutes(options.Console.SessionMinutes), services.Time), options.Console.SecureCookies);
        return app;
    }

    private static int FreePort(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The caller owns signals (the CLI handles SIGTERM itself; an embedding process keeps its Ctrl+C).</summary>
    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class AsyncDisposer(Func<Task> dispose) : IAsyncDisposable
    {
        public AsyncDisposer(Action dispose)
            : this(() =>
            {
                dispose();
                return Task.CompletedTask;
            })
        {
        }

        public async ValueTask DisposeAsync() => await dispose();
    }
}
