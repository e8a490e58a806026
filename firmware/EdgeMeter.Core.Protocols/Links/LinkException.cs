namespace EdgeMeter.Core.Links;

/// <summary>The link itself failed (port missing, connection refused or lost), as opposed to a meter not answering.</summary>
public class LinkException : System.Exception
{
    public LinkException(string message)
        : base(message)
    {
    }

    public LinkException(string message, System.Exception innerException)
        : base(message, innerException)
    {
    }
}
