using System.Text.Json.Nodes;
using EdgeMeter.Common.Crypto;
using EdgeMeter.Receiver.Auth;
using EdgeMeter.Receiver.Config;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeMeter.Receiver.Tests.Receiver.Auth;

/// <summary>A gateway imported while the receiver runs can connect at once; a broken file changes no account.</summary>
public sealed class BrokerAccountsReloadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgemeter-accounts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void An_imported_gateway_is_let_in_without_a_restart_and_a_refused_file_keeps_the_accounts()
    {
        var path = Path.Combine(_directory, "receiver.json");
        File.Copy(Repo.PathOf("examples/receiver/receiver.json"), path);
        var credentials = new BrokerCredentials(ConfigLoader.Load(path));
        var reload = new BrokerAccountsReload(path, credentials, NullLogger.Instance);
        Assert.Null(credentials.Authenticate("gw-new", "gw-new", "its-password", out _));
        Assert.False(reload.CheckNow()); // unchanged

        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config["Gateways"]!.AsArray().Add(new JsonObject { ["Id"] = "gw-new", ["Enterprise"] = "91530100MA6NXKB7X1", ["PasswordHash"] = PasswordHash.Create("its-password", 1000) });
        File.WriteAllText(path, config.ToJsonString());

        Assert.True(reload.CheckNow());
        Assert.NotNull(credentials.Authenticate("gw-new", "gw-new", "its-password", out var reason));
        Assert.Null(credentials.Authenticate("gw-new", "gw-new", "wrong", out _));

        config["Gateways"]!.AsArray().Add(new JsonObject { ["Id"] = "gw-broken", ["Enterprise"] = "no-such-enterprise", ["Password"] = "x" });
        File.WriteAllText(path, config.ToJsonString());
        Assert.False(reload.CheckNow());
        Assert.NotNull(credentials.Authenticate("gw-new", "gw-new", "its-password", out reason));
        Assert.Equal(2, credentials.GatewayCount);
    }
}
