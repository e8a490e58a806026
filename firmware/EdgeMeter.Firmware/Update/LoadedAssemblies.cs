using System;
using System.Reflection;

namespace EdgeMeter.Firmware.Update;

/// <summary>The assemblies nanoCLR has loaded (the deployed image, and a staged version once it is started).</summary>
public sealed class LoadedAssemblies : IRunningAssemblies
{
    public AssemblyIdentity? Find(string name)
    {
        try
        {
            var version = Assembly.Load(name).GetName().Version;
            return new AssemblyIdentity(name, version.Major, version.Minor, version.Build, version.Revision);
        }
        catch (Exception)
        {
            // nanoCLR's Assembly.Load(string) throws when no loaded assembly has that name.
            return null;
        }
    }
}
