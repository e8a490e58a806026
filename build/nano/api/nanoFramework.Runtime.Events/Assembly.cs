// Declarations (signatures only) of the nanoFramework API EdgeMeter uses, for compiling the device projects where
// the nanoFramework packages are not available. See build/nano/README.md.
using System.Reflection;

[assembly: AssemblyVersion("1.11.39.0")]

namespace nanoFramework.Runtime.Events;

/// <summary>Nothing of this library is called directly; System.Net and M2Mqtt depend on it.</summary>
internal static class Declared
{
}
