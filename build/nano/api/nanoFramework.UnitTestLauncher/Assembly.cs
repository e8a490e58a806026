using System.Reflection;

// Part of package nanoFramework.TestFramework: the entry point that runs the assembly named NFUnitTest.
[assembly: AssemblyVersion("3.0.80.0")]

namespace nanoFramework.TestFramework;

public class UnitTestLauncher
{
    public static void Main() => throw null!;
}
