using System.Text;

namespace EdgeMeter.Build.Tests.Architecture;

/// <summary>
/// docs/architecture.md's dependency section, made from the solution: a Mermaid picture of the product and build
/// projects (an arrow points from a project to what it references) and a table of the test projects.
/// </summary>
public static class DependencyPicture
{
    public const string Begin = "<!-- BEGIN dependencies: generated from EdgeMeter.sln by tests/EdgeMeter.Build.Tests/Architecture; do not edit -->";
    public const string End = "<!-- END dependencies -->";

    private static readonly (string Part, string Title)[] Parts =
    [
        ("firmware", "firmware/: the gateway side"),
        ("receiver", "receiver/: the receiver side"),
        ("build", "build/: device build checks"),
    ];

    public static string Render(SolutionGraph graph)
    {
        var text = new StringBuilder();
        text.Append(Begin).Append('\n');
        text.Append("```mermaid\nflowchart TB\n");
        foreach (var (part, title) in Parts)
        {
            text.Append("  subgraph ").Append(part).Append("[\"").Append(title).Append("\"]\n");
            foreach (var project in graph.Projects.Where(p => p.Part == part))
            {
                text.Append("    ").Append(Id(project.Path)).Append("[\"").Append(Label(project)).Append("\"]\n");
            }

            text.Append("  end\n");
        }

        foreach (var project in graph.Projects.Where(p => p.Part != "tests"))
        {
            foreach (var edge in project.References)
            {
                var arrow = edge.CodeReference ? " --> " : " -. build order only .-> ";
                text.Append("  ").Append(Id(project.Path)).Append(arrow).Append(Id(edge.Target)).Append('\n');
            }
        }

        text.Append("```\n\n| test project | references |\n|---|---|\n");
        foreach (var project in graph.Projects.Where(p => p.Part == "tests"))
        {
            var targets = project.References.Select(e => "`" + Path.GetFileName(e.Target) + "`");
            text.Append("| `").Append(project.Name).Append("` | ").Append(string.Join(", ", targets)).Append(" |\n");
        }

        text.Append(End);
        return text.ToString();
    }

    /// <summary>The document with its generated section replaced, or null where the markers are missing.</summary>
    public static string? Replace(string document, string section)
    {
        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        return begin < 0 || end < begin ? null : document[..begin] + section + document[(end + End.Length)..];
    }

    private static string Label(ProjectNode project) =>
        project.Program == null ? project.Name : project.Name + "<br/><i>" + project.Program + "</i>";

    private static string Id(string path) =>
        Path.GetFileName(path).Replace('.', '_').Replace('-', '_');
}
