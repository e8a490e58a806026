using System.Security.Cryptography.X509Certificates;
using EdgeMeter.PlatformSim.Api;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EdgeMeter.PlatformSim;

/// <summary>Starts a simulated platform inside the calling process (tests, the demo) or for the process entry point.</summary>
public static class PlatformSimulator
{
    /// <summary>Listens on 127.0.0.1:<paramref name="port"/>; port 0 picks a free one (see BaseAddress).</summary>
    public static Task<RunningPlatformSim> StartAsync(PlatformSimOptions options, int port = 0, CancellationToken cancellation = default) =>
        StartAsync(options, [$"http://127.0.0.1:{port}"], cancellation);

    public static async Task<RunningPlatformSim> StartAsync(
        PlatformSimOptions options, IReadOnlyList<string> urls, CancellationToken cancellation = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(PlatformSimulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.UseUrls([.. urls]);
        if (options.ServerCertificate is { } certificate)
        {
            ServeHttps(builder, certificate, options.ClientCertificateAuthorities);
        }
        builder.Logging.ClearProviders();
        if (options.RunsAsProcess)
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        }
        else
        {
            builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        }

        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));

        var app = builder.Build();
        var sim = new SimState(options, app.Lifetime.ApplicationStopping);
        SimMiddleware.Use(app, sim);
        PlatformEndpoints.Map(app, sim);
        SimControlEndpoints.Map(app, sim);
        await app.StartAsync(cancellation);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningPlatformSim(app, sim, new Uri(address.TrimEnd('/') + "/"));
    }

    // https:// addresses get the certificate; with client CAs, a client without a certificate they issued is refused in the handshake.
    private static void ServeHttps(WebApplicationBuilder builder, X509Certificate2 certificate, X509Certificate2Collection? clientAuthorities)
    {
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            if (clientAuthorities is not null)
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (client, _, _) => IssuedBy(client, clientAuthorities);
            }
        }));
    }

    private static bool IssuedBy(X509Certificate2 client, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(client);
    }

    /// <summary>An embedded simulator must not take over the host process's Ctrl+C.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
