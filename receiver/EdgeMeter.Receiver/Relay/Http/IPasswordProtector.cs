namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>
/// Turns the configured password into what /requestAK expects. Platforms differ here: the published provincial
/// interface sends it SM4-encrypted with a platform-issued key, in a way each province specifies; such a
/// protector is written per province (BouncyCastle's SM4Engine) once its exact rules are in hand.
/// </summary>
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
