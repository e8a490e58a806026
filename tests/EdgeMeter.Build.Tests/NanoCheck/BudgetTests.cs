using System.Text;
using EdgeMeter.Build.Tests.Support;
using EdgeMeter.NanoCheck;

namespace EdgeMeter.Build.Tests.NanoCheck;

/// <summary>nanocheck budget: fails, in MSBuild's error format, before the metadata processor's 64 KB tables overflow.</summary>
public class BudgetTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void An_assembly_over_the_byte_code_budget_fails_with_NANO001()
    {
        var path = NanoCompiler.Compile(_directory.Path, "Big", LargeMethods(70_000));

        var (exit, output) = Run("budget", path);

        Assert.True(BudgetCommand.Measure(path).ByteCode > 65_535);
        Assert.Equal(1, exit);
        Assert.Contains(path + ": error NANO001: byte code of ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_margin_is_enforced_below_the_limit()
    {
        var path = NanoCompiler.Compile(_directory.Path, "Near", LargeMethods(62_000));
        var measured = BudgetCommand.Measure(path).ByteCode;

        Assert.InRange(measured, 60_001, 65_535);
        Assert.Equal(1, Run("budget", path).Exit);
        Assert.Equal(0, Run("budget", "--bytecode", "65535", path).Exit);
    }

    [Fact]
    public void An_assembly_with_too_many_strings_fails_with_NANO002()
    {
        var source = new StringBuilder("public static class S { public static string[] All = { ");
        for (var i = 0; i < 2_000; i++)
        {
            source.Append("\"a string literal that takes room number ").Append(i).Append("\", ");
        }

        var path = NanoCompiler.Compile(_directory.Path, "Strings", source.Append("}; }").ToString());

        var (exit, output) = Run("budget", path);

        Assert.Equal(1, exit);
        Assert.Contains("error NANO002", output, StringComparison.Ordinal);
        Assert.DoesNotContain("NANO001", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_assembly_passes_and_is_reported()
    {
        var path = NanoCompiler.Compile(_directory.Path, "Small", LargeMethods(1_000));

        var (exit, output) = Run("budget", path);

        Assert.Equal(0, exit);
        Assert.Contains("Small.dll: byte code ", output, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>Methods of "F += i;" statements: about <paramref name="bytes"/> of byte code.</summary>
    private static string LargeMethods(int bytes)
    {
        // Each statement: ldsfld (3), ldc.i4 (5), add (1), stsfld (3) = 12 bytes.
        var source = new StringBuilder("public static class Large { public static int F; ");
        var statements = bytes / 12;
        for (var m = 0; m * 1000 < statements; m++)
        {
            source.Append("public static void M").Append(m).Append("() { ");
            for (var i = m * 1000; i < Math.Min(statements, (m + 1) * 1000); i++)
            {
                source.Append("F += ").Append(100_000 + i).Append("; ");
            }

            source.Append("} ");
        }

        return source.Append('}').ToString();
    }

    private static (int Exit, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        return (BudgetCommand.Run(args[1..], output), output.ToString());
    }
}
