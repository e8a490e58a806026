using EdgeMeter.Common.Platform;

namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>Turns the configured password into what /requestAK expects.</summary>
public interface IPasswordProtector
{
    string Protect(string password, string enterpriseCode);
}

/// <summary>Sends the password as it is: for the simulator and for platforms that rely on HTTPS alone.</summary>
public sealed class PlainPasswordProtector : IPasswordProtector
{
    public static readonly PlainPasswordProtector Instance = new();

    public string Protect(string password, string enterpriseCode) => password;
}

/// <summary>SM4 as the platform's interface document specifies it (Platforms[i].Http.PasswordProtection).</summary>
public sealed class Sm4PasswordProtector(Sm4PasswordOptions options) : IPasswordProtector
{
    private readonly Sm4PasswordCipher _cipher = new(options);

    public string Protect(string password, string enterpriseCode) => _cipher.Protect(password);
}
