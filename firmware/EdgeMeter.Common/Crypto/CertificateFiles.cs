using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeMeter.Common.Crypto;

/// <summary>Certificates from the files operators have: a .pfx/.p12 with its password, or PEM certificate + PEM key; CA bundles in PEM.</summary>
public static class CertificateFiles
{
    /// <summary>A certificate with its private key. Throws <see cref="CryptographicException"/> or an IO exception naming the problem.</summary>
    public static X509Certificate2 LoadWithKey(string path, string? password, string? keyPath)
    {
        var certificate = keyPath is not null
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509CertificateLoader.LoadPkcs12FromFile(path, password);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new CryptographicException($"{path} has no private key (a .pfx with its key, or a PEM certificate with its key file)");
        }

        return certificate;
    }

    /// <summary>Every certificate of a PEM bundle; at least one.</summary>
    public static X509Certificate2Collection LoadBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        return bundle.Count > 0 ? bundle : throw new CryptographicException($"{path} holds no PEM certificate");
    }
}
