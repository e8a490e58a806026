using System.Text.RegularExpressions;

namespace EdgeMeter.Host.Tests.Journeys;

/// <summary>
/// The shell commands of a ```sh block in a document, as a reader would type them: continuation lines joined,
/// comments and blank lines left out. A journey test runs them, so the docs cannot drift from the programs.
/// </summary>
internal static partial class DocCommands
{
    /// <summary>The commands of the <paramref name="index"/>th sh block after <paramref name="heading"/> in <paramref name="document"/> (a repository path).</summary>
    public static List<string> Of(string document, string heading, int index = 0)
    {
        var commands = new List<string>();
        var current = "";
        foreach (var line in Block(document, heading, "```sh", index))
        {
            var text = TrailingComment().Replace(line, "").TrimEnd();
            if (text.TrimStart().StartsWith('#') || text.Length == 0)
            {
                continue;
            }

            current += current.Length == 0 ? text.Trim() : " " + text.Trim();
            if (current.EndsWith('\\'))
            {
                current = current[..^1].TrimEnd();
                continue;
            }

            commands.Add(current);
            current = "";
        }

        return commands;
    }

    /// <summary>The lines of the <paramref name="index"/>th block opened by <paramref name="fence"/> after <paramref name="heading"/>.</summary>
    public static string[] Block(string document, string heading, string fence, int index = 0)
    {
        var lines = File.ReadAllLines(Repo.PathOf(document));
        var at = Array.FindIndex(lines, line => line.TrimEnd() == heading);
        Assert.True(at >= 0, $"{document} has no heading '{heading}'");
        for (var i = 0; ; i++)
        {
            at = Array.FindIndex(lines, at, line => line.TrimEnd() == fence);
            Assert.True(at >= 0, $"{document}: no block {index} opened by {fence} after '{heading}'");
            var end = Array.FindIndex(lines, at + 1, line => line.StartsWith("```", StringComparison.Ordinal));
            if (i == index)
            {
                return lines[(at + 1)..end];
            }

            at = end + 1;
        }
    }

    /// <summary>The one command that contains <paramref name="fragment"/>.</summary>
    public static string Find(this List<string> commands, string fragment) =>
        commands.SingleOrDefault(c => c.Contains(fragment, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no command with '{fragment}' in: {string.Join(" | ", commands)}");

    // "  # comment" after a command; a '#' inside a word (a URL fragment) is not one.
    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex TrailingComment();
}
