namespace EdgeMeter.Receiver.Auth;

public enum ClientRole
{
    /// <summary>A gateway: publishes its own up/status/reply, subscribes to its own down.</summary>
    Gateway,

    /// <summary>A read-only platform account: subscribes to up and status of every gateway.</summary>
    Platform,

    /// <summary>The receiver itself, injecting commands into the embedded broker.</summary>
    Receiver,
}

/// <summary>Who an MQTT client is, as established when it connected.</summary>
public readonly record struct ClientIdentity(ClientRole Role, string Name)
{
    public override string ToString() => $"{Role.ToString().ToLowerInvariant()} {Name}";
}
