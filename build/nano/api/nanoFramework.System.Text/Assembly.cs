using System.Reflection;

[assembly: AssemblyVersion("1.3.42.0")]
