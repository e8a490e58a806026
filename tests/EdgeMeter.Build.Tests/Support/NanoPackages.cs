using System.Reflection;

namespace EdgeMeter.Build.Tests.Support;

/// <summary>nanoFramework's packages as this project restores them.</summary>
internal static class NanoPackages
{
    /// <summary>mscorlib.dll of nanoFramework.CoreLibrary.</summary>
    public static string Mscorlib { get; } = typeof(NanoPackages).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NanoMscorlib").Value!;
}
