using EdgeMeter.Build.Tests.Support;
using EdgeMeter.Firmware.Update;

namespace EdgeMeter.Build.Tests.Update;

/// <summary>
/// What an update may contain, given what the board runs (firmware/EdgeMeter.Firmware/Update/UpdateCompatibility.cs):
/// nanoCLR resolves by name and major.minor and attaches native code only to the board firmware's assemblies.
/// </summary>
public class UpdateCompatibilityTests
{
    private static readonly Board Running = new(
        ("mscorlib", [1, 17, 11, 0]), ("System.Net", [1, 11, 60, 0]), ("nanoFramework.M2Mqtt", [5, 1, 220, 0]),
        ("EdgeMeter.Core", [1, 0, 0, 0]), ("EdgeMeter.Firmware", [1, 0, 0, 0]));

    [Fact]
    public void A_release_with_a_new_major_minor_built_on_the_boards_libraries_is_accepted()
    {
        Assert.Null(UpdateCompatibility.Check(Release(1, 1), Running));
    }

    [Fact]
    public void A_release_with_the_running_major_minor_is_refused_because_the_running_copy_would_be_used()
    {
        var reason = UpdateCompatibility.Check(Release(1, 0, build: 5), Running);

        Assert.Equal("EdgeMeter.Core 1.0.5.0 has the major.minor of the running EdgeMeter.Core 1.0.0.0: give the update a new version", reason);
    }

    [Fact]
    public void An_update_built_for_other_board_libraries_names_the_library_and_both_versions()
    {
        var core = Image("EdgeMeter.Core", 1, 1);
        var firmware = new PeImageBuilder().Named("EdgeMeter.Firmware", 1, 1).References("mscorlib", 1, 17, 11)
            .References("System.Net", 1, 12, 3).References("EdgeMeter.Core", 1, 1).Build();

        var reason = UpdateCompatibility.Check([core, Read(firmware)], Running);

        Assert.Equal("EdgeMeter.Firmware needs System.Net 1.12.3.0, the board runs System.Net 1.11.60.0 (flash the board firmware this update was built for)", reason);
    }

    [Fact]
    public void A_library_the_board_does_not_have_is_named()
    {
        var firmware = new PeImageBuilder().Named("EdgeMeter.Firmware", 1, 1).References("System.Device.Spi", 1, 3).Build();

        Assert.Equal("EdgeMeter.Firmware needs System.Device.Spi 1.3.0.0, which the board does not have", UpdateCompatibility.Check([Read(firmware)], Running));
    }

    [Fact]
    public void Native_code_can_only_come_with_a_board_firmware()
    {
        var library = new PeImageBuilder().Named("System.Net", 1, 12).WithNativeChecksum(0x8EFB9944).Build();

        Assert.Equal("System.Net 1.12.0.0 has native methods: it can only come with a board firmware, not an update", UpdateCompatibility.Check([Read(library)], Running));
    }

    [Fact]
    public void A_reference_between_the_updates_own_assemblies_must_match_too()
    {
        var core = Image("EdgeMeter.Core", 1, 2);
        var firmware = new PeImageBuilder().Named("EdgeMeter.Firmware", 1, 2).References("EdgeMeter.Core", 1, 3).Build();

        Assert.Equal("EdgeMeter.Firmware needs EdgeMeter.Core 1.3.0.0, the board runs EdgeMeter.Core 1.0.0.0 (flash the board firmware this update was built for)",
            UpdateCompatibility.Check([core, Read(firmware)], Running));
    }

    private static AssemblyImage[] Release(ushort major, ushort minor, ushort build = 0)
    {
        var core = new PeImageBuilder().Named("EdgeMeter.Core", major, minor, build).References("mscorlib", 1, 17, 11).Build();
        var firmware = new PeImageBuilder().Named("EdgeMeter.Firmware", major, minor, build).References("mscorlib", 1, 17, 11)
            .References("System.Net", 1, 11, 60).References("nanoFramework.M2Mqtt", 5, 1, 220).References("EdgeMeter.Core", major, minor, build).Build();
        return [Read(core), Read(firmware)];
    }

    private static AssemblyImage Image(string name, ushort major, ushort minor) =>
        Read(new PeImageBuilder().Named(name, major, minor).References("mscorlib", 1, 17, 11).Build());

    private static AssemblyImage Read(byte[] bytes) => AssemblyImage.Read(new ImageBytes(bytes), out _)!;

    private sealed class Board(params (string Name, int[] Version)[] assemblies) : IRunningAssemblies
    {
        public AssemblyIdentity? Find(string name) => assemblies.Where(a => a.Name == name)
            .Select(a => new AssemblyIdentity(a.Name, a.Version[0], a.Version[1], a.Version[2], a.Version[3])).FirstOrDefault();
    }
}
