namespace EdgeMeter.Core.Tests.Support;

/// <summary>Files of the repository (examples, docs) as the tests see them.</summary>
internal static class RepoFiles
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
