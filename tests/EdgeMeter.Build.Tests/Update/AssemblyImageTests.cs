using EdgeMeter.Build.Tests.Support;
using EdgeMeter.Firmware.Update;

namespace EdgeMeter.Build.Tests.Update;

/// <summary>The .pe header reader the updater and nanocheck share (firmware/EdgeMeter.Firmware/Update/AssemblyImage.cs).</summary>
public class AssemblyImageTests
{
    [Fact]
    public void Reads_name_version_native_checksum_and_references()
    {
        var bytes = new PeImageBuilder().Named("EdgeMeter.Firmware", 1, 4, 2, 7).WithNativeChecksum(0x6DFA71D6)
            .References("mscorlib", 1, 17, 11, 0).References("System.Net", 1, 11, 60, 0).References("EdgeMeter.Core", 1, 4, 0, 0).Build();

        var image = AssemblyImage.Read(new ImageBytes(bytes), out var error);

        Assert.True(image != null, error);
        Assert.Equal("EdgeMeter.Firmware 1.4.2.7", image.Version.ToString());
        Assert.Equal("EdgeMeter.Firmware", image.Name);
        Assert.Equal(0x6DFA71D6u, image.NativeChecksum);
        Assert.Equal(["mscorlib 1.17.11.0", "System.Net 1.11.60.0", "EdgeMeter.Core 1.4.0.0"], image.References.Select(r => r.ToString()));
    }

    [Fact]
    public void Names_mscorlib_from_nanoCLRs_built_in_strings()
    {
        var bytes = new PeImageBuilder().Named("mscorlib", 1, 17, 11, 0).Build();

        Assert.Equal("mscorlib", AssemblyImage.Read(new ImageBytes(bytes), out _)!.Name);
    }

    [Theory]
    [InlineData(0, "no NFMRK1 header")]
    [InlineData(50, "no NFMRK1 header")]
    [InlineData(-1, "no NFMRK1 header")]
    [InlineData(-2, "outside it")]
    public void Refuses_what_is_not_a_pe_image(int damage, string expected)
    {
        var bytes = new PeImageBuilder().Named("A", 1, 0).References("B", 1, 0).Build();
        switch (damage)
        {
            case 0:
                bytes = [];
                break;
            case 50:
                bytes = bytes[..50];
                break;
            case -1:
                bytes[0] = (byte)'X';
                break;
            case -2:
                BitConverter.GetBytes(bytes.Length + 100).CopyTo(bytes, 40 + (4 * 11));
                break;
        }

        Assert.Null(AssemblyImage.Read(new ImageBytes(bytes), out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
