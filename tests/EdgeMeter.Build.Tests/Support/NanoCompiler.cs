using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EdgeMeter.Build.Tests.Support;

/// <summary>Compiles C# the way a device project is compiled (nanoFramework's mscorlib alone, optimised) into a file.</summary>
internal static class NanoCompiler
{
    public static string Compile(string directory, string assemblyName, string source, params string[] references)
    {
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            new[] { NanoPackages.Mscorlib }.Concat(references).Select(r => MetadataReference.CreateFromFile(r)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, deterministic: true));
        var path = Path.Combine(directory, assemblyName + ".dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return path;
    }
}
