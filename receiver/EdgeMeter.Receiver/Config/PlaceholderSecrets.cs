namespace EdgeMeter.Receiver.Config;

/// <summary>
/// Secrets still as an example left them ("set-by-environment", "changeme", "&lt;password&gt;"...): a receiver that
/// starts with one would run with a password everybody who read the example knows. Every secret setting is checked
/// here, and the message says how to give the real one.
/// </summary>
public static class PlaceholderSecrets
{
    private static readonly string[] Contained =
        ["set-by-environment", "changeme", "change-me", "change_me", "placeholder", "replace-me", "replace_me", "your-password", "your_password"];

    // Not "123456" or "test": provincial test platforms issue such passwords, and those are real.
    private static readonly string[] Whole = ["password", "secret", "xxx", "xxxx", "todo"];

    public static bool IsPlaceholder(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var lower = value.Trim().ToLowerInvariant();
        return Whole.Contains(lower)
            || Contained.Any(marker => lower.Contains(marker, StringComparison.Ordinal))
            || (lower.StartsWith('<') && lower.EndsWith('>'))
            || (lower.StartsWith("${", StringComparison.Ordinal) && lower.EndsWith('}'));
    }

    /// <summary>Reports <paramref name="value"/> at <paramref name="setting"/> when it is a placeholder.</summary>
    public static void Check(string? value, string setting, Action<string, string> problem)
    {
        if (IsPlaceholder(value))
        {
            problem(setting, $"'{value}' is a placeholder, not a secret; give the real one here or as {ConfigLoader.EnvironmentPrefix}{setting.Replace("[", "__", StringComparison.Ordinal).Replace("].", "__", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Replace(".", "__", StringComparison.Ordinal)}");
        }
    }

    /// <summary>Every secret setting of <paramref name="options"/>, checked.</summary>
    public static void CheckAll(ReceiverOptions options, Action<string, string> problem)
    {
        var embedded = options.Ingest.Embedded;
        Check(embedded.Tls.CertificatePassword, "Ingest.Embedded.Tls.CertificatePassword", problem);
        Check(options.Ingest.External.Password, "Ingest.External.Password", problem);
        for (var i = 0; i < options.Gateways.Count; i++)
        {
            Check(options.Gateways[i].Password, $"Gateways[{i}].Password", problem);
        }

        for (var i = 0; i < options.PlatformAccounts.Count; i++)
        {
            Check(options.PlatformAccounts[i].Password, $"PlatformAccounts[{i}].Password", problem);
        }

        for (var i = 0; i < options.Platforms.Count; i++)
        {
            CheckPlatform(options.Platforms[i], $"Platforms[{i}]", problem);
        }

        for (var i = 0; i < options.Admin.Tokens.Count; i++)
        {
            Check(options.Admin.Tokens[i].Token, $"Admin.Tokens[{i}].Token", problem);
        }

        Check(options.Admin.CertificatePassword, "Admin.CertificatePassword", problem);
        for (var i = 0; i < options.PlatformAccounts.Count; i++)
        {
            Check(options.PlatformAccounts[i].Push?.Secret, $"PlatformAccounts[{i}].Push.Secret", problem);
        }
    }

    private static void CheckPlatform(PlatformOptions platform, string at, Action<string, string> problem)
    {
        if (platform.Http is { } http)
        {
            foreach (var (enterprise, password) in http.EnterprisePasswords)
            {
                Check(password, $"{at}.Http.EnterprisePasswords.{enterprise}", problem);
            }

            Check(http.ClientCertificatePassword, $"{at}.Http.ClientCertificatePassword", problem);
            Check(http.PasswordProtection?.Key, $"{at}.Http.PasswordProtection.Key", problem);
        }

        Check(platform.Mqtt?.Password, $"{at}.Mqtt.Password", problem);
    }
}
