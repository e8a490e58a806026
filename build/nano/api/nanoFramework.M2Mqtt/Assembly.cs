using System.Reflection;

[assembly: AssemblyVersion("5.1.220.0")]
