using EdgeMeter.Firmware.Board;
using nanoFramework.Runtime.Native;
using nanoFramework.TestFramework;

namespace EdgeMeter.Firmware.Tests.Support;

/// <summary>
/// Tests that need a board's peripherals skip themselves, by name and with the reason, anywhere but on one of the
/// boards of nf-boards.md (nanoCLR on a PC reports "Linux", "macOS" or "Virtual nanoDevice" as its target).
/// </summary>
internal static class RealHardware
{
    public static void Require(string what)
    {
        var target = SystemInfo.TargetName;
        if (BoardPins.ForTarget(target) == null)
        {
            Assert.SkipTest("needs " + what + " of a board; target " + target + " is none of nf-boards.md (proven only on hardware)");
        }
    }
}
