using System.Reflection;

[assembly: AssemblyVersion("1.7.11.0")]
