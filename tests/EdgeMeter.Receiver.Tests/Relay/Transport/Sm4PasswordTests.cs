using System.Text;
using EdgeMeter.Common.Platform;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace EdgeMeter.Receiver.Tests.Relay.Transport;

/// <summary>SM4 password protection: the GM/T 0002-2012 examples, OpenSSL as an independent implementation, and the options.</summary>
public sealed class Sm4PasswordTests
{
    private const string StandardKey = "0123456789abcdeffedcba9876543210";
    private const string Iv = "000102030405060708090a0b0c0d0e0f";

    [Fact]
    public void Gmt0002_example_1_one_block_through_the_cipher_we_use()
    {
        // Plaintext = key = 0123456789abcdeffedcba9876543210; zero padding adds nothing to a whole block.
        var cipher = new Sm4PasswordCipher(new Sm4PasswordOptions { Key = StandardKey, Padding = Sm4Padding.Zero, Input = TextEncoding.Hex });

        Assert.Equal("681edf34d206965e86b3e94f536e4246", cipher.Protect(StandardKey));
    }

    [Fact]
    public void Gmt0002_example_2_a_million_encryptions_with_the_engine_we_use()
    {
        var engine = new SM4Engine();
        engine.Init(true, new KeyParameter(Convert.FromHexString(StandardKey)));
        var block = Convert.FromHexString(StandardKey);
        for (var i = 0; i < 1_000_000; i++)
        {
            engine.ProcessBlock(block, 0, block, 0);
        }

        Assert.Equal("595298c7c6fd271f0402f804c33d3f66", Convert.ToHexStringLower(block));
    }

    public static TheoryData<string, string> Passwords => new()
    {
        { "ecb", "edgemeter-demo" },
        { "ecb", "0123456789abcdef" },
        { "cbc", "edgemeter-demo" },
        { "cbc", "密码Passw0rd!" },
        { "cbc", "exactly-32-bytes-of-password-xyz" },
    };

    [Theory]
    [MemberData(nameof(Passwords))]
    public void Pkcs7_agrees_with_openssl(string mode, string password)
    {
        var openssl = Peers.Require("openssl", "openssl");
        var options = new Sm4PasswordOptions { Mode = mode == "cbc" ? Sm4Mode.Cbc : Sm4Mode.Ecb, Key = StandardKey, Iv = mode == "cbc" ? Iv : null };

        var ours = new Sm4PasswordCipher(options).Protect(password);
        var theirs = OpenSsl(openssl, mode, Encoding.UTF8.GetBytes(password), pad: true);

        Assert.Equal(theirs, ours);
    }

    [Theory]
    [MemberData(nameof(Passwords))]
    public void Zero_padding_agrees_with_openssl_on_zero_filled_blocks(string mode, string password)
    {
        var openssl = Peers.Require("openssl", "openssl");
        var options = new Sm4PasswordOptions { Mode = mode == "cbc" ? Sm4Mode.Cbc : Sm4Mode.Ecb, Key = StandardKey, Iv = mode == "cbc" ? Iv : null, Padding = Sm4Padding.Zero };
        var plain = Encoding.UTF8.GetBytes(password);
        var filled = new byte[(plain.Length + 15) / 16 * 16];
        plain.CopyTo(filled, 0);

        Assert.Equal(OpenSsl(openssl, mode, filled, pad: false), new Sm4PasswordCipher(options).Protect(password));
    }

    [Theory]
    [InlineData(Sm4Mode.Ecb, Sm4Padding.Pkcs7, TextEncoding.Utf8, TextEncoding.Hex)]
    [InlineData(Sm4Mode.Cbc, Sm4Padding.Pkcs7, TextEncoding.Utf8, TextEncoding.Base64)]
    [InlineData(Sm4Mode.Cbc, Sm4Padding.Zero, TextEncoding.Utf8, TextEncoding.HexUpper)]
    [InlineData(Sm4Mode.Ecb, Sm4Padding.Zero, TextEncoding.Hex, TextEncoding.Base64)]
    [InlineData(Sm4Mode.Ecb, Sm4Padding.Pkcs7, TextEncoding.Base64, TextEncoding.Hex)]
    public void Every_combination_decrypts_to_the_password_and_another_key_does_not(Sm4Mode mode, Sm4Padding padding, TextEncoding input, TextEncoding output)
    {
        var password = input switch { TextEncoding.Hex => "a1b2c3d4e5", TextEncoding.Base64 => "cGFzc3dvcmQ=", _ => "edgemeter-demo" };
        Sm4PasswordOptions Options(string key) => new() { Mode = mode, Key = key, Iv = mode == Sm4Mode.Cbc ? Iv : null, Padding = padding, Input = input, Output = output };
        var cipher = new Sm4PasswordCipher(Options(StandardKey));

        var sent = cipher.Protect(password);

        Assert.Equal(password, cipher.Unprotect(sent));
        Assert.NotEqual(password, new Sm4PasswordCipher(Options("fedcba98765432100123456789abcdef")).Unprotect(sent));
        Assert.Null(cipher.Unprotect(password));
        if (output == TextEncoding.HexUpper)
        {
            Assert.Equal(sent.ToUpperInvariant(), sent);
        }
    }

    [Fact]
    public void A_key_given_as_text_and_as_base64_encrypts_alike()
    {
        var utf8 = new Sm4PasswordCipher(new Sm4PasswordOptions { Key = "EdgeMeterKey1234", KeyEncoding = TextEncoding.Utf8 });
        var base64 = new Sm4PasswordCipher(new Sm4PasswordOptions { Key = Convert.ToBase64String(Encoding.UTF8.GetBytes("EdgeMeterKey1234")), KeyEncoding = TextEncoding.Base64 });

        Assert.Equal(utf8.Protect("pw"), base64.Protect("pw"));
    }

    [Theory]
    [InlineData("mode=ecb,key=0123", "SM4.Key: 2 bytes; SM4's Key is 16 bytes")]
    [InlineData("mode=cbc,key=0123456789abcdeffedcba9876543210", "SM4.Iv: missing (CBC needs one)")]
    [InlineData("mode=ecb,key=0123456789abcdeffedcba9876543210,iv=000102030405060708090a0b0c0d0e0f", "SM4.Iv: ECB takes no IV")]
    [InlineData("key=0123456789abcdeffedcba9876543210,output=utf8", "SM4.Output: encrypted bytes cannot be sent as Utf8")]
    [InlineData("key=0123456789abcdeffedcba9876543210,mode=gcm", "SM4 option mode 'gcm' is not one of ecb, cbc")]
    [InlineData("key=zz", "SM4.Key: not Hex text")]
    [InlineData("colour=blue", "SM4 option 'colour' is unknown")]
    public void Bad_options_are_refused_naming_the_setting(string spec, string expected)
    {
        var problem = Assert.Throws<FormatException>(() => Sm4PasswordOptions.Parse(spec));

        Assert.StartsWith(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_sets_every_option()
    {
        var options = Sm4PasswordOptions.Parse("mode=CBC, key=MDEyMzQ1Njc4OWFiY2RlZg==, iv=ZmVkY2JhOTg3NjU0MzIxMA==, key-encoding=base64, padding=zero, input=hex, output=hex-upper");

        Assert.Equal((Sm4Mode.Cbc, Sm4Padding.Zero, TextEncoding.Base64, TextEncoding.Hex, TextEncoding.HexUpper), (options.Mode, options.Padding, options.KeyEncoding, options.Input, options.Output));
    }

    private static string OpenSsl(string openssl, string mode, byte[] plain, bool pad)
    {
        var input = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(input, plain);
            var iv = mode == "cbc" ? $" -iv {Iv}" : "";
            var (exit, output) = Peers.Run(openssl, $"enc -sm4-{mode} -K {StandardKey}{iv}{(pad ? "" : " -nopad")} -in {input} -out {input}.enc", TimeSpan.FromSeconds(20));
            Assert.True(exit == 0, $"openssl: {output}");
            return Convert.ToHexStringLower(File.ReadAllBytes(input + ".enc"));
        }
        finally
        {
            File.Delete(input);
            File.Delete(input + ".enc");
        }
    }
}
