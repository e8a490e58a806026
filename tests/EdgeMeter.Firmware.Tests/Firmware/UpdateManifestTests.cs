using EdgeMeter.Core.Update;
using nanoFramework.TestFramework;

namespace EdgeMeter.Firmware.Tests.Firmware;

[TestClass]
public static class UpdateManifestTests
{
    private const string Hash = "3b7c0e2a9f1d4c5b6a79880112233445566778899aabbccddeeff00112233445";

    [TestMethod]
    public static void Parses_a_manifest_in_file_order()
    {
        var text = "edgemeter-update 1\r\nversion 1.4.0\r\nentry EdgeMeter.App.Startup\r\n"
            + "file " + Hash + " 2048 EdgeMeter.Core.pe\r\nfile " + Hash.ToUpper() + " 18432 EdgeMeter.App.pe\r\n";

        var manifest = UpdateManifest.Parse(text, out var error);

        Assert.IsNotNull(manifest, error);
        Assert.AreEqual("1.4.0", manifest!.Version);
        Assert.AreEqual("EdgeMeter.App.Startup", manifest.Entry);
        Assert.AreEqual(2, manifest.Files.Length);
        Assert.AreEqual("EdgeMeter.Core.pe", manifest.Files[0].Name);
        Assert.AreEqual(2048, manifest.Files[0].Size);
        Assert.AreEqual(Hash, manifest.Files[1].Sha256);
    }

    [TestMethod]
    public static void Refuses_what_could_escape_the_update_directory_or_is_incomplete()
    {
        Refused("version 1.0\nentry A.B\nfile " + Hash + " 10 a.pe\n");                               // no header
        Refused("edgemeter-update 1\nversion ../x\nentry A.B\nfile " + Hash + " 10 a.pe\n");           // path in version
        Refused("edgemeter-update 1\nversion 1.0\nentry A.B\nfile " + Hash + " 10 ..\\a.pe\n");       // path in name
        Refused("edgemeter-update 1\nversion 1.0\nentry A.B\nfile " + Hash + " 10 a.dll\n");           // not a .pe
        Refused("edgemeter-update 1\nversion 1.0\nentry A.B\nfile abc 10 a.pe\n");                     // short hash
        Refused("edgemeter-update 1\nversion 1.0\nentry A.B\nfile " + Hash + " -5 a.pe\n");            // size
        Refused("edgemeter-update 1\nversion 1.0\nentry A.B\n");                                       // no file
        Refused("edgemeter-update 1\nversion 1.0\nfile " + Hash + " 10 a.pe\nreboot now\n");           // unknown line
    }

    private static void Refused(string text)
    {
        Assert.IsNull(UpdateManifest.Parse(text, out var error), text);
        Assert.IsTrue(error.Length > 0);
    }
}
