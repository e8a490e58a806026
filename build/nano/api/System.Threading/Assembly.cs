using System.Reflection;

[assembly: AssemblyVersion("1.1.52.0")]
