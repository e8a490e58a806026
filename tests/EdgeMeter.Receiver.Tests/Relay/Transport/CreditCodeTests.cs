using System.Net;
using System.Text.Json.Nodes;
using EdgeMeter.Common.Platform;
using EdgeMeter.Receiver.Config;
using EdgeMeter.Receiver.Tests.PlatformSim;

namespace EdgeMeter.Receiver.Tests.Relay.Transport;

/// <summary>GB 32100-2015 check characters, judged alike by the receiver and the simulator.</summary>
public sealed class CreditCodeTests
{
    // Published codes of well-known companies.
    [Theory]
    [InlineData("9144030071526726XG")]
    [InlineData("914403001922038216")]
    [InlineData("91330100716105852F")]
    [InlineData("91110000802100433B")]
    public void Real_codes_pass(string code) => Assert.Null(CreditCode.Problem(code));

    [Theory]
    [InlineData("9144030071526726XH", "check character (GB 32100) is 'G'")]
    [InlineData("9144030071526727XG", "check character (GB 32100) is")]
    [InlineData("9144030071526726IG", "'I', which is not in the unified social credit code alphabet")]
    [InlineData("9144030071526726X", "is not 18 characters")]
    [InlineData("91530100MA6NXKB7XL", "check character (GB 32100) is '1'")]
    public void Wrong_codes_say_why(string code, string expected) =>
        Assert.Contains(expected, CreditCode.Problem(code), StringComparison.Ordinal);

    [Fact]
    public void The_check_character_catches_every_single_character_change_of_a_code()
    {
        const string code = "91330100716105852F";
        for (var position = 0; position < 17; position++)
        {
            foreach (var replacement in CreditCode.Alphabet.Where(c => c != code[position]))
            {
                var changed = code[..position] + replacement + code[(position + 1)..];
                Assert.False(CreditCode.IsValid(changed), changed);
            }
        }
    }

    [Theory]
    [InlineData("91530100MA6NXKB7X1", true)]
    [InlineData("91530100MA6NXKB7XL", false)]
    public async Task Receiver_configuration_and_simulator_login_agree(string code, bool valid)
    {
        var options = new ReceiverOptions { Enterprises = [new EnterpriseOptions { Code = code }] };
        var configProblems = OptionsValidator.Validate(options).Where(p => p.StartsWith("Enterprises[0].Code", StringComparison.Ordinal));
        await using var sim = await SimHarness.StartAsync(o => o.Enterprises[code] = "pw");
        using var http = SimHarness.HttpFor(sim);

        var (status, body) = await SimHarness.PostAsync(http, "requestAK", new JsonObject { ["enterpriseCode"] = code, ["password"] = "pw" });

        Assert.Equal(valid, !configProblems.Any());
        Assert.Equal(valid ? HttpStatusCode.OK : HttpStatusCode.BadRequest, status);
        if (!valid)
        {
            Assert.Contains("check character", body.GetProperty("responseMessage").GetString(), StringComparison.Ordinal);
        }
    }
}
