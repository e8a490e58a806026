using System.Diagnostics;
using System.Threading;
using EdgeMeter.Firmware.Runtime;
using EdgeMeter.Firmware.Update;
using nanoFramework.Runtime.Native;

namespace EdgeMeter.Firmware;

/// <summary>Device entry point: a staged application version if one is chosen, otherwise the built-in application.</summary>
public static class Program
{
    public static void Main()
    {
        var staged = AppLauncher.TryStartStaged();
        if (staged.Length > 0)
        {
            Debug.WriteLine("update " + staged + "; starting the built-in application");
        }

        Run();
    }

    /// <summary>
    /// The built-in application. A staged build of this project names this method as its entry
    /// ("entry EdgeMeter.Firmware.Program" in its manifest).
    /// </summary>
    public static void Run()
    {
        var services = DeviceServices.Start();
        services.Console.Start();
        var restart = DeviceGateway.Run(services);
        if (restart == null)
        {
            // Not provisioned or unknown board: the LEDs blink the fault and the console says why; nothing to retry.
            Thread.Sleep(Timeout.Infinite);
        }

        Debug.WriteLine("restarting: " + restart);
        Power.RebootDevice(2000);
    }
}
