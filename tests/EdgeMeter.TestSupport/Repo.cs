namespace EdgeMeter.TestSupport;

/// <summary>The repository's files (examples, docs, vectors, projects) as the tests see them.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EdgeMeter.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("EdgeMeter.sln not found above " + AppContext.BaseDirectory);
    }
}
