using System.Reflection;

[assembly: AssemblyVersion("1.11.60.0")]
