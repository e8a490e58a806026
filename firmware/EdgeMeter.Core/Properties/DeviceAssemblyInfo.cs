using System.Reflection;

// Attributes of the device assembly (EdgeMeter.Core.nfproj); the SDK project generates its own and leaves this file out.
[assembly: AssemblyTitle("EdgeMeter.Core")]
[assembly: AssemblyDescription("EdgeMeter gateway core: protocols, buffer, packets, polling, uplink, commands")]
[assembly: AssemblyProduct("EdgeMeter")]

// The release version. nanoCLR resolves assemblies by name and major.minor: every release that is shipped as an
// update gets a new major.minor here and in EdgeMeter.Firmware (the two move together; nf-boards.md section 10).
[assembly: AssemblyVersion("1.0.0.0")]
