namespace EdgeMeter.Host.Tests.Journeys;

/// <summary>Journeys that bind the documented fixed ports (1883, 4001, 8480): never in parallel with other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FixedPortsCollection
{
    public const string Name = "documented fixed ports";
}

/// <summary>
/// The bench journey run literally from the docs: README's "Bench tools" and "The gateway on a PC" and the quick
/// start of docs/receiver.md, each command as printed (<see cref="JourneyShell"/>). A command that no longer works,
/// or that the docs lose, fails here.
/// </summary>
[Collection(FixedPortsCollection.Name)]
public sealed class BenchJourneyTests : IDisposable
{
    private readonly JourneyShell _shell = new();

    public void Dispose() => _shell.Dispose();

    [Fact]
    public async Task Provision_import_run_the_receiver_the_meters_and_the_gateway_as_documented_and_readings_arrive()
    {
        var receiverStart = DocCommands.Of("docs/receiver.md", "## Quick start");
        var bench = DocCommands.Of("README.md", "### Bench tools: simulated meters, read, scan");
        var gateway = DocCommands.Of("README.md", "### The gateway on a PC");

        _shell.Run(receiverStart.Find("cp examples/receiver/receiver.json receiver.json"));
        _shell.Run(gateway.Find(" provision "));
        _shell.Run(gateway.Find(" gateways import "));
        _shell.Run(receiverStart.Find(" check-config "));
        var receiver = _shell.Start(receiverStart.Find(" run --config "));
        await receiver.WaitForPortAsync(1883, "the receiver's broker");
        var meters = _shell.Start(bench.Find(" sim --listen "));
        await meters.WaitForPortAsync(4001, "the simulated meters");
        Assert.Contains("modbus:1", _shell.Run(bench.Find(" scan ")), StringComparison.Ordinal);
        foreach (var read in bench.Where(c => c.Contains(" read ", StringComparison.Ordinal)))
        {
            _shell.Run(read);
        }

        _shell.Start(gateway.Find(" gateway --config "));

        // The meters are read at the next whole minute and published within the upload interval.
        using var http = new HttpClient();
        await Eventually.Until(() => JourneyShell.Stored(http) >= 6, "six readings of the bench gateway stored by the receiver", timeoutSeconds: 150);
        var traced = File.ReadAllLines(_shell.PathOf("gw-data/trace.txt"));
        Assert.True(traced.Length >= 6, string.Join('\n', traced));
        Assert.Contains(traced, line => line.Contains(" m-2007 energy ", StringComparison.Ordinal));
        Assert.Contains(traced, line => line.Contains(" m-modbus voltage-a ", StringComparison.Ordinal));
    }
}
