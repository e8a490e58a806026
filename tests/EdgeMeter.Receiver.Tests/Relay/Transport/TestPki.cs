using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeMeter.Receiver.Tests.Relay.Transport;

/// <summary>A private CA with a server certificate for 127.0.0.1/localhost and a client certificate, written as PEM and PFX files.</summary>
internal sealed class TestPki : IDisposable
{
    public const string PfxPassword = "pfx-pass";

    private TestPki(string directory, X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Directory = directory;
        Ca = ca;
        Server = server;
        Client = client;
    }

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public string CaFile => Path.Combine(Directory, "ca.pem");

    public string ClientPfx => Path.Combine(Directory, "client.pfx");

    public string ClientPem => Path.Combine(Directory, "client.pem");

    public string ClientKey => Path.Combine(Directory, "client.key");

    public X509Certificate2Collection CaCollection => [Ca];

    public static TestPki Create(string name)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory($"edgemeter-pki-{name}-").FullName;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=EdgeMeter test CA {name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        var server = Issue(ca, "CN=platform.test", serverAuth: true);
        var client = Issue(ca, $"CN=enterprise {name}", serverAuth: false);
        var pki = new TestPki(directory, ca, server, client);
        File.WriteAllText(pki.CaFile, ca.ExportCertificatePem());
        File.WriteAllBytes(pki.ClientPfx, client.Export(X509ContentType.Pfx, PfxPassword));
        File.WriteAllText(pki.ClientPem, client.ExportCertificatePem());
        File.WriteAllText(pki.ClientKey, client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return pki;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Through PFX so that the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx, PfxPassword), PfxPassword, X509KeyStorageFlags.Exportable);
    }
}
