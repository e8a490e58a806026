using System.Reflection;

[assembly: AssemblyVersion("1.1.62.0")]
