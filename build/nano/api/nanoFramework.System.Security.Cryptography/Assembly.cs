using System.Reflection;

[assembly: AssemblyVersion("1.0.43.0")]
