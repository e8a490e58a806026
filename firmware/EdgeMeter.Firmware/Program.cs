using System.Diagnostics;
using System.Threading;
using EdgeMeter.Firmware.Board;
using EdgeMeter.Firmware.Status;
using EdgeMeter.Firmware.Update;

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
        var ready = CheckProvisioning(services);
        if (services.Leds != null && !ready)
        {
            services.Leds.State = RunState.Fault;
        }

        // Hand-over point: the gateway runtime (configuration, pollers, buffer, uplink, commands) is constructed here
        // from `services` and `services.ReadConfig()` once it is in the core. Until then the board identifies itself,
        // reports on the console and waits.
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Reports what is missing before the gateway can run; true when the board, the configuration and the key are there.</summary>
    private static bool CheckProvisioning(DeviceServices services)
    {
        var ready = true;
        if (services.Board == null)
        {
            Debug.WriteLine(services.BoardError);
            ready = false;
        }

        if (services.ReadConfig() == null)
        {
            Debug.WriteLine("no configuration on I: (edgemeter provision, then nanoff --filedeployment)");
            ready = false;
        }

        if (services.ReadKey(out var keyError) == null)
        {
            Debug.WriteLine(keyError);
            ready = false;
        }

        return ready;
    }
}
