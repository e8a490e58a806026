using EdgeMeter.Build.Tests.Support;
using EdgeMeter.NanoCheck;

namespace EdgeMeter.Build.Tests.NanoCheck;

/// <summary>nanocheck order, pe and natives: what device-check.sh reports about .pe images.</summary>
public class ImageToolTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Order_puts_every_image_after_those_it_references()
    {
        var tests = Write("NFUnitTest", new PeImageBuilder().Named("NFUnitTest", 1).References("mscorlib", 1, 17).References("EdgeMeter.Core", 1).References("nanoFramework.TestFramework", 3));
        var framework = Write("nanoFramework.TestFramework", new PeImageBuilder().Named("nanoFramework.TestFramework", 3).References("mscorlib", 1, 17));
        var core = Write("EdgeMeter.Core", new PeImageBuilder().Named("EdgeMeter.Core", 1).References("mscorlib", 1, 17));
        var mscorlib = Write("mscorlib", new PeImageBuilder().Named("mscorlib", 1, 17));

        var output = new StringWriter();
        Assert.Equal(0, LoadOrder.Run([tests, core, framework, mscorlib], output));

        var order = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, order.Length);
        Assert.Equal(mscorlib, order[0]);
        Assert.Equal(tests, order[3]);
    }

    [Fact]
    public void Pe_reports_the_byte_code_table_and_the_share_of_the_partition()
    {
        var image = Write("EdgeMeter.Core", new PeImageBuilder().Named("EdgeMeter.Core", 1, 2, 3, 4).WithByteCode(51_010));

        var output = new StringWriter();
        Assert.Equal(0, PeTable.Run(["--partition", "1835008", image], output));

        Assert.Contains("| EdgeMeter.Core.pe | ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("| 51,010 (78 %) |", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("| 1.2.3.4 | - |", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("of a 1,835,008-byte partition", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Natives_finds_a_mismatch_against_the_firmware_sources_and_reads_mscorlibs_reflection_variant()
    {
        var sources = Directory.CreateDirectory(_directory.File("nf-interpreter/src/CLR")).FullName;
        File.WriteAllText(Path.Combine(sources, "corlib_native.cpp"), """
            const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_mscorlib =
            {
                "mscorlib",

            #if CONFIG_NF_FEATURE_SUPPORT_REFLECTION

                0x1549C856,

            #elif !CONFIG_NF_FEATURE_SUPPORT_REFLECTION

                0xF0208DC0,

            #endif

                method_lookup,
                { 100, 5, 0, 24 }
            };
            """);
        File.WriteAllText(Path.Combine(sources, "sys_net_native.cpp"), """
            const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_System_Net =
            {
                "System.Net",
                0x8EFB9944,
                method_lookup,
                { 100, 2, 0, 14 }
            };
            """);
        var mscorlib = Write("mscorlib", new PeImageBuilder().Named("mscorlib", 1, 17).WithNativeChecksum(0x1549C856));
        var net = Write("System.Net", new PeImageBuilder().Named("System.Net", 1, 11).WithNativeChecksum(0x6DFA71D6));

        var output = new StringWriter();
        var exit = NativeChecksums.Run([_directory.File("nf-interpreter"), mscorlib, net], output);

        Assert.Equal(1, exit);
        Assert.Contains("| mscorlib | 0x1549C856 | 0x1549C856 | 100.5.0.24 | ok |", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("| System.Net | 0x6DFA71D6 | 0x8EFB9944 | 100.2.0.14 | **MISMATCH**", output.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private string Write(string name, PeImageBuilder image)
    {
        var path = _directory.File(name + ".pe");
        File.WriteAllBytes(path, image.Build());
        return path;
    }
}
