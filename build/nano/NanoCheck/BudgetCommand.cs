using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace EdgeMeter.NanoCheck;

/// <summary>
/// The metadata processor refuses an assembly whose byte-code table exceeds 65,535 bytes or whose string table
/// exceeds 65,535 (and nanoCLR reads indexes from 64,675 up as its built-in strings). This check runs on every build
/// of a device project, from the compiled IL, and fails with a margin before the metadata processor would.
/// </summary>
public static class BudgetCommand
{
    public const int ByteCodeLimit = 65_535;
    public const int DefaultByteCodeBudget = 60_000;
    public const int DefaultStringBudget = 60_000;

    public static int Run(string[] args, TextWriter output)
    {
        var byteCodeBudget = DefaultByteCodeBudget;
        var stringBudget = DefaultStringBudget;
        var assemblies = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--bytecode" && i + 1 < args.Length && int.TryParse(args[i + 1], out byteCodeBudget))
            {
                i++;
            }
            else if (args[i] == "--strings" && i + 1 < args.Length && int.TryParse(args[i + 1], out stringBudget))
            {
                i++;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                output.WriteLine($"nanocheck budget: {args[i]} needs a number of bytes");
                return 2;
            }
            else
            {
                assemblies.Add(args[i]);
            }
        }

        var failed = false;
        foreach (var path in assemblies)
        {
            var measured = Measure(path);
            output.WriteLine($"{Path.GetFileName(path)}: byte code {measured.ByteCode:N0} of {byteCodeBudget:N0} budgeted "
                + $"({ByteCodeLimit:N0} limit), strings ~{measured.Strings:N0} of {stringBudget:N0}");
            if (measured.ByteCode > byteCodeBudget)
            {
                // MSBuild's canonical error format, so that the build reports it as an error of this assembly.
                output.WriteLine($"{path}: error NANO001: byte code of {measured.ByteCode:N0} bytes is over the budget of "
                    + $"{byteCodeBudget:N0} (the metadata processor stops at {ByteCodeLimit:N0}): move code to another device assembly");
                failed = true;
            }

            if (measured.Strings > stringBudget)
            {
                output.WriteLine($"{path}: error NANO002: the string table (about {measured.Strings:N0} bytes) is over the budget of "
                    + $"{stringBudget:N0} (nanoCLR reads 64,675 and up as built-in strings)");
                failed = true;
            }
        }

        return failed ? 1 : 0;
    }

    public static (int ByteCode, int Strings) Measure(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        var byteCode = 0;
        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress != 0)
            {
                byteCode += ByteCodeSize.Of(pe.GetMethodBody(method.RelativeVirtualAddress));
            }
        }

        return (byteCode, StringTableSize.Estimate(metadata));
    }
}
