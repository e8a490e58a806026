namespace EdgeMeter.TestSupport;

/// <summary>Bounded waiting for something asynchronous to become true; never a timing assertion.</summary>
public static class Eventually
{
    public static async Task Until(Func<bool> condition, string what, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeoutSeconds} s waiting for {what}");
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }
}
