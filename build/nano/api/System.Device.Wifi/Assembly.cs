using System.Reflection;

[assembly: AssemblyVersion("1.5.149.0")]
