namespace EdgeMeter.Receiver.Pushes;

/// <summary>
/// Where a platform account publishes its pushes: {prefix}/platform.push/{account}. The '.' keeps the level apart from
/// every gateway's topics (gateway ids have none), and the account level lets a broker ACL give each account its own.
/// </summary>
public static class PlatformPushTopic
{
    public const string Level = "platform.push";

    public static string Topic(string prefix, string account) => $"{prefix}/{Level}/{account}";

    /// <summary>The subscription that receives every account's pushes.</summary>
    public static string AllAccounts(string prefix) => $"{prefix}/{Level}/+";

    public static bool TryParse(string prefix, string topic, out string account)
    {
        var start = $"{prefix}/{Level}/";
        account = topic.StartsWith(start, StringComparison.Ordinal) ? topic[start.Length..] : "";
        return account.Length > 0 && !account.Contains('/', StringComparison.Ordinal) && !account.Contains('+', StringComparison.Ordinal) && !account.Contains('#', StringComparison.Ordinal);
    }
}
