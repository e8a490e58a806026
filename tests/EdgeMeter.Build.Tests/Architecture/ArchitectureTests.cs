namespace EdgeMeter.Build.Tests.Architecture;

/// <summary>The dependency rules hold for the solution, and docs/architecture.md shows the solution as it is.</summary>
public class ArchitectureTests
{
    private const string UpdateVariable = "EDGEMETER_UPDATE_DOCS";

    private static readonly SolutionGraph Solution = SolutionGraph.Load(Repo.Root);

    [Fact]
    public void The_solution_keeps_the_dependency_rules()
    {
        Assert.NotEmpty(Solution.Projects);
        Assert.Empty(DependencyRules.Violations(Solution));
    }

    [Fact]
    public void Every_project_in_the_repository_is_in_the_solution()
    {
        var onDisk = Directory.EnumerateFiles(Repo.Root, "*.*proj", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".csproj", StringComparison.Ordinal) || p.EndsWith(".nfproj", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(Repo.Root, p).Replace('\\', '/'))
            .Where(p => !p.Split('/').Any(d => d is "bin" or "obj" || d.StartsWith('.')));

        var missing = onDisk.Where(p => Solution.Find(p) == null).ToList();

        Assert.True(missing.Count == 0, "not in EdgeMeter.sln: " + string.Join(", ", missing));
    }

    [Fact]
    public void Docs_architecture_shows_the_dependencies_of_the_solution()
    {
        var path = Repo.PathOf("docs/architecture.md");
        var document = File.ReadAllText(path).ReplaceLineEndings("\n");
        var current = DependencyPicture.Replace(document, DependencyPicture.Render(Solution));
        Assert.True(current != null, "docs/architecture.md lacks the generated section's markers");

        if (current != document && Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, current);
            return;
        }

        Assert.True(
            current == document,
            "docs/architecture.md's dependency picture is out of date; regenerate it with " +
            UpdateVariable + "=1 dotnet test tests/EdgeMeter.Build.Tests --filter FullyQualifiedName~ArchitectureTests");
    }
}
