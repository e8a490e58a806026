using System.Reflection;

[assembly: AssemblyTitle("EdgeMeter.Firmware.Tests")]
[assembly: AssemblyDescription("EdgeMeter core vectors and firmware adapters, run on a board or on nanoCLR")]
[assembly: AssemblyVersion("1.0.0.0")]
