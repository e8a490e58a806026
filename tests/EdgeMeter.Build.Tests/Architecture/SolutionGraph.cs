using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EdgeMeter.Build.Tests.Architecture;

/// <summary>A project of the solution: where it sits, what it builds, what it references.</summary>
public sealed record ProjectNode(string Path, string? Program, IReadOnlyList<ProjectEdge> References)
{
    /// <summary>The file name, e.g. EdgeMeter.Core.nfproj: the Core's two project files differ only here.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The top folder: firmware (gateway side), receiver, build or tests.</summary>
    public string Part => Path[..Path.IndexOf('/', StringComparison.Ordinal)];

    public bool IsDevice => Path.EndsWith(".nfproj", StringComparison.Ordinal);
}

/// <summary>A ProjectReference. <paramref name="CodeReference"/> is false for build order only (ReferenceOutputAssembly=false).</summary>
public sealed record ProjectEdge(string Target, bool CodeReference);

/// <summary>The projects of EdgeMeter.sln and their ProjectReferences, read from the files themselves.</summary>
public sealed partial class SolutionGraph(IReadOnlyList<ProjectNode> projects)
{
    public IReadOnlyList<ProjectNode> Projects { get; } = projects;

    public ProjectNode? Find(string path) => Projects.FirstOrDefault(p => p.Path == path);

    public static SolutionGraph Load(string root, string solution = "EdgeMeter.sln")
    {
        var projects = SolutionEntry().Matches(File.ReadAllText(Path.Combine(root, solution)))
            .Select(m => m.Groups["path"].Value.Replace('\\', '/'))
            .Where(p => p.EndsWith(".csproj", StringComparison.Ordinal) || p.EndsWith(".nfproj", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => ReadProject(root, p))
            .ToList();
        return new SolutionGraph(projects);
    }

    private static ProjectNode ReadProject(string root, string path)
    {
        var document = XDocument.Load(Path.Combine(root, path));
        var directory = Path.GetDirectoryName(path)!;
        var references = Elements(document, "ProjectReference")
            .Select(r => new ProjectEdge(
                Normalise(Path.Combine(directory, ((string?)r.Attribute("Include") ?? "").Replace('\\', '/'))),
                !string.Equals(Property(r, "ReferenceOutputAssembly"), "false", StringComparison.OrdinalIgnoreCase)))
            .OrderBy(e => e.Target, StringComparer.Ordinal)
            .ToList();
        return new ProjectNode(path, ProgramName(document, path), references);
    }

    /// <summary>The command a project builds, where it is not the project's own name (edgemeter, edgemeter-receiver, ...).</summary>
    private static string? ProgramName(XDocument document, string path)
    {
        var isExe = Elements(document, "OutputType").Any(e => e.Value == "Exe");
        var assembly = Elements(document, "AssemblyName").Select(e => e.Value).FirstOrDefault();
        return isExe && assembly != null && assembly != Path.GetFileNameWithoutExtension(path) ? assembly : null;
    }

    private static IEnumerable<XElement> Elements(XDocument document, string name) =>
        document.Descendants().Where(e => e.Name.LocalName == name);

    private static string? Property(XElement reference, string name) =>
        (string?)reference.Attribute(name) ?? reference.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static string Normalise(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part == "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != "." && part.Length > 0)
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    [GeneratedRegex("""^Project\("\{[0-9A-F-]+\}"\) = "[^"]+", "(?<path>[^"]+)", """, RegexOptions.Multiline)]
    private static partial Regex SolutionEntry();
}
