using System.Reflection;

// Package nanoFramework.System.Net.Http.Client; the assembly is System.Net.Http.
[assembly: AssemblyVersion("1.5.210.0")]
