using EdgeMeter.Core.Update;

namespace EdgeMeter.Host.Tests.Firmware;

/// <summary>The firmware's update manifest parser, on the PC (the device runs the same checks in EdgeMeter.Firmware.Tests).</summary>
public class UpdateManifestHostTests
{
    private const string Hash = "3b7c0e2a9f1d4c5b6a79880112233445566778899aabbccddeeff00112233445";

    [Fact]
    public void Parses_files_in_order_with_lower_case_hashes()
    {
        var manifest = UpdateManifest.Parse(
            $"edgemeter-update 1\r\nversion 1.4.0\r\nentry EdgeMeter.App.Startup\r\nfile {Hash.ToUpperInvariant()} 2048 EdgeMeter.Core.pe\r\nfile {Hash} 18432 EdgeMeter.App.pe\r\n",
            out var error);

        Assert.True(manifest != null, error);
        Assert.Equal("1.4.0", manifest.Version);
        Assert.Equal(["EdgeMeter.Core.pe", "EdgeMeter.App.pe"], manifest.Files.Select(f => f.Name));
        Assert.Equal([2048, 18432], manifest.Files.Select(f => f.Size));
        Assert.All(manifest.Files, f => Assert.Equal(Hash, f.Sha256));
    }

    [Theory]
    [InlineData("version 1.0\nentry A.B\nfile {0} 10 a.pe\n")]
    [InlineData("edgemeter-update 1\nversion ../x\nentry A.B\nfile {0} 10 a.pe\n")]
    [InlineData("edgemeter-update 1\nversion 1.0\nentry A.B\nfile {0} 10 ..\\a.pe\n")]
    [InlineData("edgemeter-update 1\nversion 1.0\nentry A.B\nfile {0} 10 a.dll\n")]
    [InlineData("edgemeter-update 1\nversion 1.0\nentry A.B\nfile xyz 10 a.pe\n")]
    [InlineData("edgemeter-update 1\nversion 1.0\nentry A.B\nfile {0} 0 a.pe\n")]
    [InlineData("edgemeter-update 1\nversion 1.0\nentry A.B\nfile {0} 99999999 a.pe\n")]
    [InlineData("edgemeter-update 1\nversion 1.0\nentry A.B\n")]
    [InlineData("edgemeter-update 1\nversion 1.0\nentry A.B\nfile {0} 10 a.pe\nreboot now\n")]
    public void Refuses_bad_manifests(string template)
    {
        var text = string.Format(template, Hash);
        Assert.Null(UpdateManifest.Parse(text, out var error));
        Assert.NotEqual("", error);
    }

    [Fact]
    public void Refuses_a_hash_with_non_hex_digits()
    {
        var bad = "g" + Hash[1..];
        Assert.Null(UpdateManifest.Parse($"edgemeter-update 1\nversion 1.0\nentry A.B\nfile {bad} 10 a.pe\n", out _));
    }
}
