namespace nanoFramework.Runtime.Native;

public static class GC
{
    public static uint Run(bool compactHeap) => throw null!;
}

public enum RebootOption
{
    NormalReboot = 0,
    EnterNanoBooter = 1,
    ClrOnly = 2,
    EnterProprietaryBooter = 8,
}

public class Power
{
    public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot) => throw null!;

    public static void RebootDevice(int exeConstraintTimeout, RebootOption rebootOption = RebootOption.NormalReboot) => throw null!;
}

public static class Rtc
{
    public static bool SetSystemTime(System.DateTime time) => throw null!;
}

public static class SystemInfo
{
    public static System.Version Version => throw null!;

    public static string OEMString => throw null!;

    public static string TargetName => throw null!;

    public static string Platform => throw null!;
}
