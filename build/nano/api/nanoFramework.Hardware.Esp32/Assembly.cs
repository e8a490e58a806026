using System.Reflection;

[assembly: AssemblyVersion("1.6.42.0")]
