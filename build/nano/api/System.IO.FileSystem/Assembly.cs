using System.Reflection;

[assembly: AssemblyVersion("1.1.93.0")]
