using System.Reflection;

// Attributes of the device assembly (EdgeMeter.Core.Protocols.nfproj); the SDK project generates its own and leaves this file out.
[assembly: AssemblyTitle("EdgeMeter.Core.Protocols")]
[assembly: AssemblyDescription("EdgeMeter gateway core: the meter protocols (DL/T 645, Modbus)")]
[assembly: AssemblyProduct("EdgeMeter")]

// The release version. nanoCLR resolves assemblies by name and major.minor: every release that is shipped as an
// update gets a new major.minor here and in EdgeMeter.Core and EdgeMeter.Firmware (the three move together; nf-boards.md section 10).
[assembly: AssemblyVersion("1.0.0.0")]
