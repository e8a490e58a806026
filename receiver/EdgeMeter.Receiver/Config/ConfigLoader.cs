using System.Collections;
using Microsoft.Extensions.Configuration;

namespace EdgeMeter.Receiver.Config;

/// <summary>
/// Reads a JSON configuration file, applies environment variables EDGEMETER_RECEIVER__Section__Key on top (list
/// entries by index: EDGEMETER_RECEIVER__Gateways__0__Password), resolves relative paths against the file's
/// folder and validates. Unknown settings are errors, so a typo does not silently fall back to a default.
/// </summary>
public static class ConfigLoader
{
    public const string EnvironmentPrefix = "EDGEMETER_RECEIVER__";

    /// <summary>Throws <see cref="ConfigException"/> naming every problem found.</summary>
    public static ReceiverOptions Load(string path, IDictionary? environment = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ConfigException($"config file {path}: not found");
        }

        var builder = new ConfigurationBuilder().AddJsonFile(fullPath, optional: false, reloadOnChange: false);
        builder.AddInMemoryCollection(Overrides(environment ?? Environment.GetEnvironmentVariables()));

        ReceiverOptions options;
        try
        {
            options = new ReceiverOptions();
            builder.Build().Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (Exception failure) when (failure is InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new ConfigException($"config file {path}: {Describe(failure)}");
        }

        ResolvePaths(options, Path.GetDirectoryName(fullPath)!);
        var problems = OptionsValidator.Validate(options);
        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        return options;
    }

    /// <summary>Makes the file paths in <paramref name="options"/> absolute, relative to <paramref name="baseDirectory"/>.</summary>
    public static void ResolvePaths(ReceiverOptions options, string baseDirectory)
    {
        options.Store.Path = Resolve(options.Store.Path, baseDirectory);
        options.Keys.File = Resolve(options.Keys.File, baseDirectory);
        options.Admin.AuditLog = Resolve(options.Admin.AuditLog, baseDirectory);
        options.Console.UsersFile = Resolve(options.Console.UsersFile, baseDirectory);
        if (options.Ingest.Embedded.Tls.CertificateFile is { Length: > 0 } certificate)
        {
            options.Ingest.Embedded.Tls.CertificateFile = Resolve(certificate, baseDirectory);
        }

        if (options.Admin.CertificateFile is { Length: > 0 } adminCertificate)
        {
            options.Admin.CertificateFile = Resolve(adminCertificate, baseDirectory);
        }

        options.Admin.CertificateKeyFile = ResolveOptional(options.Admin.CertificateKeyFile, baseDirectory);
        options.Ingest.External.CaFile = ResolveOptional(options.Ingest.External.CaFile, baseDirectory);

        foreach (var push in options.PlatformAccounts.Select(account => account.Push).OfType<PlatformPushOptions>())
        {
            push.PublicKeyFile = ResolveOptional(push.PublicKeyFile, baseDirectory);
        }

        foreach (var http in options.Platforms.Select(platform => platform.Http).OfType<HttpPlatformOptions>())
        {
            http.CaBundleFile = ResolveOptional(http.CaBundleFile, baseDirectory);
            http.ClientCertificateFile = ResolveOptional(http.ClientCertificateFile, baseDirectory);
            http.ClientKeyFile = ResolveOptional(http.ClientKeyFile, baseDirectory);
        }
    }

    private static string? ResolveOptional(string? path, string baseDirectory) => path is null ? null : Resolve(path, baseDirectory);

    private static string Resolve(string path, string baseDirectory) =>
        string.IsNullOrWhiteSpace(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

    private static IEnumerable<KeyValuePair<string, string?>> Overrides(IDictionary environment)
    {
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > EnvironmentPrefix.Length)
            {
                yield return new(name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), entry.Value as string);
            }
        }
    }

    // The binder wraps the useful message (which setting, which value) in an inner exception.
    private static string Describe(Exception failure)
    {
        var messages = new List<string>();
        for (var current = failure; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(": ", messages.Distinct());
    }
}
