using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeMeter.Common.Cli;
using EdgeMeter.Core.Config;
using EdgeMeter.Core.Packet;

namespace EdgeMeter.Receiver.Cli;

/// <summary>
/// `gateways set-config ID FILE`: sends a gateway its whole new configuration through the running receiver. The file
/// is checked here with the gateway's own rules first, so a typo costs no round trip; with --wait the gateway's reply
/// is awaited (ok means it took the candidate and restarts into it; it rolls back if the broker is not reached).
/// </summary>
internal static class SetConfigCommand
{
    public static Command Create(TextWriter output)
    {
        var (url, token, ca) = (AdminApiClient.UrlOption(), AdminApiClient.TokenFileOption(), AdminApiClient.CaFileOption());
        var ttl = new Option<int>("--ttl") { Description = "Seconds the command stays valid (1-86400).", DefaultValueFactory = _ => 600 };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for the gateway's reply (0: only queue it).", DefaultValueFactory = _ => 0 };
        var id = new Argument<string>("ID") { Description = "The gateway id." };
        var file = new Argument<string>("FILE") { Description = "The gateway's complete configuration (gateway.json)." };
        var command = new Command("set-config", "Send a gateway a new configuration file through the running receiver.") { url, token, ca, ttl, wait, id, file };
        command.SetAction(async (parse, cancellation) =>
        {
            var gateway = parse.GetValue(id)!;
            var text = ReadChecked(parse.GetValue(file)!, gateway);
            if (parse.GetValue(wait) is < 0 or > 86400)
            {
                throw new CliException("--wait must be 0-86400 seconds", ExitCodes.Usage);
            }

            using var client = AdminApiClient.Create(parse, url, token, ca);
            var path = $"gateways/{Uri.EscapeDataString(gateway)}/commands";
            var queued = await client.PostAsync(path, new { name = "set-config", args = new Dictionary<string, string> { ["config"] = text }, ttlSeconds = parse.GetValue(ttl) }, cancellation);
            var commandId = queued.GetProperty("id").GetInt64();
            output.WriteLine($"queued set-config for {gateway}: command {commandId}, seq {queued.GetProperty("sequence").GetInt64()}, {text.Length} characters");
            return parse.GetValue(wait) == 0 ? ExitCodes.Ok : await AwaitReplyAsync(client, $"{path}/{commandId}", parse.GetValue(wait), output, cancellation);
        });
        return command;
    }

    private static string ReadChecked(string path, string gateway)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: {failure.Message}", ExitCodes.Usage);
        }

        var config = GatewayConfigReader.Read(bytes, bytes.Length, out var problems);
        if (config is null)
        {
            throw new CliException($"{path}: the gateway would refuse it: {string.Join("; ", problems)}", ExitCodes.Usage);
        }

        if (config.GatewayId != gateway)
        {
            throw new CliException($"{path} is the configuration of {config.GatewayId}, not {gateway}", ExitCodes.Usage);
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes);
        if (text.Length > PacketLimits.MaxArgumentLength)
        {
            throw new CliException($"{path}: {text.Length} characters; a command argument holds at most {PacketLimits.MaxArgumentLength} (remove indentation, or split the meters over two gateways)", ExitCodes.Usage);
        }

        return text;
    }

    private static async Task<int> AwaitReplyAsync(AdminApiClient client, string path, int seconds, TextWriter output, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var command = await client.GetAsync(path, cancellation);
            var state = command.GetProperty("state").GetString();
            if (state is "replied" or "expired")
            {
                var result = state == "expired" ? "expired" : command.GetProperty("result").GetString();
                var message = command.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "";
                output.WriteLine($"{result}: {message}");
                return result == "ok" ? ExitCodes.Ok : ExitCodes.Failure;
            }

            if (DateTime.UtcNow >= deadline)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"no reply within {seconds} s (state {state}); see GET /admin/{path}"));
                return ExitCodes.Failure;
            }

            await Task.Delay(500, cancellation);
        }
    }
}
