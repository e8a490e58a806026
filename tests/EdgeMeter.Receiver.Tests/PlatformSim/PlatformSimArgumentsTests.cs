using EdgeMeter.PlatformSim;

namespace EdgeMeter.Receiver.Tests.PlatformSim;

public class PlatformSimArgumentsTests
{
    [Fact]
    public void Options_are_read_from_the_command_line()
    {
        var command = PlatformSimArguments.Parse(
        [
            "--port", "0", "--name", "national", "--enterprise", "91110000MA01ABCD2Q=pw=with=equals",
            "--token-lifetime=60", "--store", "/tmp/x.jsonl", "--reg-version", "2.0", "--seed", "9", "--max-batch", "10",
        ]);

        Assert.Equal(new[] { "http://127.0.0.1:0" }, command.Urls);
        Assert.Equal("national", command.Options.Name);
        Assert.Equal("pw=with=equals", command.Options.Enterprises["91110000MA01ABCD2Q"]);
        Assert.Equal(TimeSpan.FromSeconds(60), command.Options.TokenLifetime);
        Assert.Equal("/tmp/x.jsonl", command.Options.StorePath);
        Assert.Equal("2.0", command.Options.RegVersion);
        Assert.Equal(9, command.Options.Seed);
        Assert.Equal(10, command.Options.MaxBatchSize);
        Assert.Null(command.Options.RequestLog);
        Assert.False(command.Help);
    }

    [Fact]
    public void SM4_and_registered_data_codes_are_read_from_the_command_line()
    {
        var command = PlatformSimArguments.Parse(
            ["--password-sm4", "mode=cbc,key=0123456789abcdeffedcba9876543210,iv=000102030405060708090a0b0c0d0e0f,output=base64", "--data-code", "000000000112000001"]);

        Assert.Equal((Common.Platform.Sm4Mode.Cbc, Common.Platform.TextEncoding.Base64), (command.Options.PasswordProtection!.Mode, command.Options.PasswordProtection.Output));
        Assert.Equal(["000000000112000001"], command.Options.RegisteredDataCodes);
    }

    [Fact]
    public void Defaults_listen_on_loopback_with_the_demo_enterprise()
    {
        var command = PlatformSimArguments.Parse([]);

        Assert.Equal(new[] { PlatformSimArguments.DefaultUrl }, command.Urls);
        Assert.Equal("provincial", command.Options.Name);
        Assert.Empty(command.Options.Enterprises);
    }

    [Theory]
    [InlineData("--port", "http", "--port 'http' is not a whole number")]
    [InlineData("--enterprise", "nopassword", "is not CODE=PASSWORD")]
    [InlineData("--enterprise", "SHORT=pw", "unified social credit code")]
    [InlineData("--token-lifetime", "0", "--token-lifetime '0'")]
    [InlineData("--name", "prov incial", "--name 'prov incial'")]
    [InlineData("--bogus", "1", "unknown option '--bogus'")]
    [InlineData("--enterprise", "91530100MA6NXKB7XL=pw", "check character (GB 32100) is '1'")]
    [InlineData("--password-sm4", "mode=cbc,key=0123456789abcdeffedcba9876543210", "SM4.Iv: missing")]
    [InlineData("--tls-key", "key.pem", "--tls-key, --tls-password and --client-ca need --tls-cert")]
    [InlineData("--tls-cert", "/nonexistent/cert.pfx", "--tls-cert /nonexistent/cert.pfx:")]
    public void Bad_arguments_name_the_problem(string option, string value, string expected)
    {
        var failure = Assert.Throws<FormatException>(() => PlatformSimArguments.Parse([option, value]));
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }
}
