namespace EdgeMeter.Build.Tests.Architecture;

/// <summary>Each rule catches the dependency it forbids, on a made-up solution.</summary>
public class DependencyRulesTests
{
    private const string Core = "firmware/EdgeMeter.Core/EdgeMeter.Core.csproj";
    private const string CoreDevice = "firmware/EdgeMeter.Core/EdgeMeter.Core.nfproj";
    private const string Protocols = "firmware/EdgeMeter.Core.Protocols/EdgeMeter.Core.Protocols.csproj";
    private const string ProtocolsDevice = "firmware/EdgeMeter.Core.Protocols/EdgeMeter.Core.Protocols.nfproj";
    private const string Common = "firmware/EdgeMeter.Common/EdgeMeter.Common.csproj";
    private const string Pc = "firmware/EdgeMeter.Pc/EdgeMeter.Pc.csproj";
    private const string Host = "firmware/EdgeMeter.Host/EdgeMeter.Host.csproj";
    private const string Receiver = "receiver/EdgeMeter.Receiver/EdgeMeter.Receiver.csproj";
    private const string Support = "tests/EdgeMeter.TestSupport/EdgeMeter.TestSupport.csproj";

    [Fact]
    public void A_solution_that_points_one_way_has_no_violation()
    {
        var graph = Graph(
            (Host, [Code(Core), Code(Pc), BuildOrder(Receiver)]),
            (Core, [Code(Protocols)]),
            (CoreDevice, [Code(ProtocolsDevice)]),
            (Receiver, [Code(Core), Code(Protocols), Code(Common)]),
            (Support, [Code(Core)]));

        Assert.Empty(DependencyRules.Violations(graph));
    }

    [Theory]
    [InlineData(Host, Receiver, true, "must not use receiver code")]
    [InlineData(Receiver, Pc, true, "uses only the shared libraries")]
    [InlineData(Core, Common, true, "the core references nothing")]
    [InlineData(CoreDevice, Core, true, "the core references nothing")]
    [InlineData(CoreDevice, Protocols, true, "the core references nothing but its protocols")]
    [InlineData(Protocols, Core, true, "the core's protocols reference nothing")]
    [InlineData(ProtocolsDevice, Common, true, "the core's protocols reference nothing")]
    [InlineData(Host, CoreDevice, true, "cannot use a device project")]
    [InlineData(Pc, Support, true, "no product depends on a test project")]
    [InlineData(Host, "firmware/EdgeMeter.Gone/EdgeMeter.Gone.csproj", true, "not in EdgeMeter.sln")]
    public void A_reference_against_the_direction_is_named(string from, string to, bool code, string reason)
    {
        var graph = Graph((from, [new ProjectEdge(to, code)]));

        var violation = Assert.Single(DependencyRules.Violations(graph));

        Assert.StartsWith(from + " -> " + to + ": ", violation, StringComparison.Ordinal);
        Assert.Contains(reason, violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_project_may_not_use_a_net10_project()
    {
        var firmware = "firmware/EdgeMeter.Firmware/EdgeMeter.Firmware.nfproj";
        var graph = Graph((firmware, [Code(Common)]));

        Assert.Contains("device project references only device projects", Assert.Single(DependencyRules.Violations(graph)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_picture_draws_code_and_build_order_references_differently_and_lists_tests_apart()
    {
        var graph = Graph(
            (Host, [Code(Core), BuildOrder(Receiver)]),
            (Support, [Code(Core)]));

        var picture = DependencyPicture.Render(graph);

        Assert.Contains("EdgeMeter_Host_csproj --> EdgeMeter_Core_csproj", picture, StringComparison.Ordinal);
        Assert.Contains("EdgeMeter_Host_csproj -. build order only .-> EdgeMeter_Receiver_csproj", picture, StringComparison.Ordinal);
        Assert.Contains("| `EdgeMeter.TestSupport.csproj` | `EdgeMeter.Core.csproj` |", picture, StringComparison.Ordinal);
        Assert.DoesNotContain("EdgeMeter_TestSupport_csproj", picture, StringComparison.Ordinal);
    }

    [Fact]
    public void Replacing_the_section_keeps_the_text_around_it()
    {
        var document = "intro\n" + DependencyPicture.Begin + "\nold\n" + DependencyPicture.End + "\noutro\n";

        Assert.Equal("intro\nNEW\noutro\n", DependencyPicture.Replace(document, "NEW"));
        Assert.Null(DependencyPicture.Replace("no markers", "NEW"));
    }

    private static ProjectEdge Code(string target) => new(target, true);

    private static ProjectEdge BuildOrder(string target) => new(target, false);

    /// <summary>The projects given, plus every project they reference (with no references of their own).</summary>
    private static SolutionGraph Graph(params (string Path, ProjectEdge[] References)[] projects)
    {
        var nodes = projects.Select(p => new ProjectNode(p.Path, null, p.References)).ToList();
        foreach (var target in projects.SelectMany(p => p.References).Select(e => e.Target).Distinct())
        {
            if (nodes.All(n => n.Path != target) && !target.Contains("Gone", StringComparison.Ordinal))
            {
                nodes.Add(new ProjectNode(target, null, []));
            }
        }

        return new SolutionGraph(nodes);
    }
}
