namespace EdgeMeter.Receiver.Relay.Http;

/// <summary>One upstream platform as the receiver is configured to reach it.</summary>
public sealed class PlatformClientOptions
{
    /// <summary>"provincial" or "national": used in log lines and outcomes.</summary>
    public required string Name { get; init; }

    /// <summary>Where /requestAK, /checkVersion and /dataEnterpriseEnergy live, e.g. https://host/YNEnergy/.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The enterprise's 18-character unified social credit code.</summary>
    public required string EnterpriseCode { get; init; }

    public required string Password { get; init; }

    public IPasswordProtector PasswordProtector { get; init; } = PlainPasswordProtector.Instance;

    /// <summary>Longest wait for one HTTP call; past it the call counts as a Retry.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// True only for platforms that take our batch extension (the simulator). Otherwise UploadBatchAsync sends the
    /// records one by one, which is the published contract.
    /// </summary>
    public bool SupportsBatch { get; init; }

    public int MaxBatchSize { get; init; } = 100;

    /// <summary>A token is renewed this long before its akExpiresIn (at most half its lifetime before).</summary>
    public TimeSpan TokenRenewalMargin { get; init; } = TimeSpan.FromMinutes(1);
}
