using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using EdgeMeter.Build.Tests.Support;
using EdgeMeter.NanoCheck;

namespace EdgeMeter.Build.Tests.NanoCheck;

/// <summary>
/// The byte-code size of a method as the metadata processor writes it. Checked against the real metadata processor
/// on EdgeMeter's assemblies (device-check.sh: 61,260 computed for 61,250 written, for instance); here each rule on a
/// method whose IL is known.
/// </summary>
public class ByteCodeSizeTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    // ldarg.0, ldc.i4.1, add, ret: no operands.
    [InlineData("static int M(int x) { return x + 1; }", 4)]
    // ldc.i4.s 100 (1 + 1), ret.
    [InlineData("static int M() { return 100; }", 3)]
    // ldc.i4 100000 (1 + 4), ret.
    [InlineData("static int M() { return 100000; }", 6)]
    // ldc.i8 (1 + 8), ret.
    [InlineData("static long M() { return 10000000000L; }", 10)]
    // ldarg.0, call (1 + 2: tokens shrink from 4 bytes to 2), ret.
    [InlineData("static int M(int x) { return N(x); } static int N(int x) { return x; }", 5)]
    // ldstr (1 + 2), ret.
    [InlineData("static string M() { return \"text\"; }", 4)]
    // ldsfld (1 + 2), ret.
    [InlineData("static int F; static int M() { return F; }", 4)]
    public void Operands_shrink_as_the_metadata_processor_writes_them(string members, int expected)
    {
        Assert.Equal(expected, SizeOf("M", members));
    }

    [Fact]
    public void A_switch_table_takes_one_byte_and_two_per_target()
    {
        // ldarg.0, switch n=4 (1 + 1 + 4 x 2), br.s (1 + 1), then four "ldc.i4.x ret" pairs and the default: 2 x 5.
        var size = SizeOf("M", "static int M(int x) { switch (x) { case 0: return 10; case 1: return 11; case 2: return 12; case 3: return 13; default: return 9; } }");

        var il = ILOf("M", "static int M(int x) { switch (x) { case 0: return 10; case 1: return 11; case 2: return 12; case 3: return 13; default: return 9; } }");
        Assert.Equal(il - 3 - (2 * 4), size);
    }

    [Fact]
    public void Exception_handlers_take_twelve_bytes_each_and_a_count_byte()
    {
        const string Members = "static int F; static void M() { try { F = 1; } finally { F = 2; } }";

        // stsfld shrinks by 2 twice; the leave.s and endfinally stay; handler table 12 + 1.
        Assert.Equal(ILOf("M", Members) - 4 + 12 + 1, SizeOf("M", Members));
    }

    public void Dispose() => _directory.Dispose();

    private int SizeOf(string method, string members) => Measure(method, members, (pe, body) => ByteCodeSize.Of(body));

    private int ILOf(string method, string members) => Measure(method, members, (pe, body) => body.GetILBytes()!.Length);

    private int Measure(string method, string members, Func<PEReader, MethodBodyBlock, int> measure)
    {
        var path = NanoCompiler.Compile(_directory.Path, "M" + Guid.NewGuid().ToString("N"), "public static class C { " + members + " }");
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        var handle = metadata.MethodDefinitions.Single(h => metadata.GetString(metadata.GetMethodDefinition(h).Name) == method);
        return measure(pe, pe.GetMethodBody(metadata.GetMethodDefinition(handle).RelativeVirtualAddress));
    }
}
