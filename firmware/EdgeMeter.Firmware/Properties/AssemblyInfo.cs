using System.Reflection;

[assembly: AssemblyTitle("EdgeMeter.Firmware")]
[assembly: AssemblyDescription("EdgeMeter gateway for .NET nanoFramework on ESP32")]
[assembly: AssemblyProduct("EdgeMeter")]

// The version a staged update is told apart by (nanoCLR resolves assemblies by name and major.minor).
[assembly: AssemblyVersion("1.0.0.0")]
