using EdgeMeter.Core.Messages;

namespace EdgeMeter.Core.Uplink;

/// <summary>Fills the gateway's health into a status packet (uptime, buffer depth, meters ...).</summary>
public interface IStatusSource
{
    void Fill(GatewayStatus status);
}

/// <summary>Carries out a packet that arrived on the gateway's down topic.</summary>
public interface ICommandHandler
{
    /// <summary>Verifies and executes <paramref name="packet"/>; returns whether <paramref name="reply"/> should be sent.</summary>
    bool Handle(byte[] packet, CommandReply reply);
}
