using System.Reflection;

namespace EdgeMeter.DeviceBuild.Tests.Support;

/// <summary>Paths of the repository and of nanoFramework's mscorlib, as the tests see them.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>mscorlib.dll of nanoFramework.CoreLibrary, from the package this project restores.</summary>
    public static string NanoMscorlib { get; } = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NanoMscorlib").Value!;

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
