namespace EdgeMeter.Build.Tests.Architecture;

/// <summary>
/// The direction of dependencies (docs/architecture.md): the core references nothing but its own meter protocols, and
/// those reference nothing, the device references only
/// device projects, no gateway-side project uses receiver code, the receiver uses only the shared libraries of the
/// gateway side, and no product depends on a test project. Each violation is one readable sentence.
/// </summary>
public static class DependencyRules
{
    /// <summary>Gateway-side projects the receiver side may use: the portable core and the net10 shared library.</summary>
    public static readonly string[] SharedLibraries =
    [
        "firmware/EdgeMeter.Core/EdgeMeter.Core.csproj",
        "firmware/EdgeMeter.Core.Protocols/EdgeMeter.Core.Protocols.csproj",
        "firmware/EdgeMeter.Common/EdgeMeter.Common.csproj",
    ];

    public static List<string> Violations(SolutionGraph graph)
    {
        var violations = new List<string>();
        foreach (var project in graph.Projects)
        {
            foreach (var edge in project.References)
            {
                var why = Check(graph, project, edge);
                if (why != null)
                {
                    violations.Add(project.Path + " -> " + edge.Target + ": " + why);
                }
            }
        }

        return violations;
    }

    private static string? Check(SolutionGraph graph, ProjectNode project, ProjectEdge edge)
    {
        var target = graph.Find(edge.Target);
        if (target == null)
        {
            return "the referenced project is not in EdgeMeter.sln";
        }

        if (project.Path.StartsWith("firmware/EdgeMeter.Core.Protocols/", StringComparison.Ordinal))
        {
            return "the core's protocols reference nothing (they must build against nanoFramework's mscorlib alone)";
        }

        if (project.Path.StartsWith("firmware/EdgeMeter.Core/", StringComparison.Ordinal)
            && !(edge.Target.StartsWith("firmware/EdgeMeter.Core.Protocols/", StringComparison.Ordinal) && project.IsDevice == target.IsDevice))
        {
            return "the core references nothing but its protocols (it must build against nanoFramework's mscorlib alone)";
        }

        if (project.IsDevice != target.IsDevice)
        {
            return project.IsDevice ? "a device project references only device projects (.nfproj)" : "a net10 project cannot use a device project";
        }

        if (project.Part != "tests" && target.Part == "tests")
        {
            return "no product depends on a test project";
        }

        if (project.Part == "firmware" && target.Part == "receiver" && edge.CodeReference)
        {
            return "a gateway-side project must not use receiver code (for build order only, set ReferenceOutputAssembly=\"false\")";
        }

        if (project.Part == "receiver" && target.Part == "firmware" && !SharedLibraries.Contains(target.Path))
        {
            return "the receiver side uses only the shared libraries of the gateway side (" + string.Join(", ", SharedLibraries.Select(Path.GetFileName)) + ")";
        }

        return null;
    }
}
