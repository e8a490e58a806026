using System.Reflection;

[assembly: AssemblyVersion("1.5.75.0")]

namespace System.Collections;

/// <summary>Nothing of this library is called directly (ArrayList is in mscorlib); the firmware references it.</summary>
internal static class Declared
{
}
