using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeMeter.Common.Crypto;

/// <summary>Whether a TLS server's certificate is trusted: the system store, a private CA bundle, or both.</summary>
public static class CertificateTrust
{
    /// <summary>
    /// The system's verdict when it is trusted and found no fault; otherwise the chain rebuilt on the CA bundle alone.
    /// A wrong host name is never forgiven. Revocation is not checked: private CAs seldom publish a reachable CRL, and
    /// an unreachable one would stop every upload.
    /// </summary>
    public static bool IsTrusted(X509Certificate2? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection? caBundle, bool trustSystemStore)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        if (errors == SslPolicyErrors.None && trustSystemStore)
        {
            return true;
        }

        if (caBundle is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(caBundle);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1")); // issued for server authentication
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate);
    }
}
