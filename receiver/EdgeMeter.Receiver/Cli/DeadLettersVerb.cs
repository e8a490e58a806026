using System.CommandLine;
using System.Text.Json;
using EdgeMeter.Common.Cli;

namespace EdgeMeter.Receiver.Cli;

/// <summary>`dead-letters list|retry|drop`: what the platforms refused, sent again once the cause is fixed, or given up.</summary>
internal static class DeadLettersVerb
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("dead-letters", "Records a platform refused for good: list them, resend them after fixing the cause, or drop them.");
        command.Subcommands.Add(List(output));
        command.Subcommands.Add(Act(output, "retry", "Send the selected dead letters again (with the current configuration).", "resend"));
        command.Subcommands.Add(Act(output, "drop", "Give up the selected dead letters (kept, marked dropped).", "dropped"));
        return command;
    }

    private static Command List(TextWriter output)
    {
        var (url, token, ca) = (AdminApiClient.UrlOption(), AdminApiClient.TokenFileOption(), AdminApiClient.CaFileOption());
        var state = new Option<string>("--state") { Description = "dead (default), resend, resent, superseded, dropped or all.", DefaultValueFactory = _ => "dead" };
        var tier = new Option<string>("--tier") { Description = "Only this platform tier." };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List dead letters with the platform's reason.") { url, token, ca, state, tier, limit };
        command.SetAction(async (parse, cancellation) =>
        {
            using var client = AdminApiClient.Create(parse, url, token, ca);
            var query = $"dead-letters?limit={parse.GetValue(limit)}"
                + (parse.GetValue(state) is { } s and not "all" ? $"&state={Uri.EscapeDataString(s)}" : "")
                + (parse.GetValue(tier) is { } t ? $"&tier={Uri.EscapeDataString(t)}" : "");
            var letters = await client.GetAsync(query, cancellation);
            output.WriteLine("id\ttier\tstream\tstate\tattempts\tcode\twhat\treason");
            foreach (var letter in letters.EnumerateArray())
            {
                output.WriteLine(string.Join('\t', Text(letter, "id"), Text(letter, "tier"), Text(letter, "stream"), Text(letter, "state"),
                    Text(letter, "attempts"), Text(letter, "code"), Text(letter, "what"), Text(letter, "reason")));
            }

            output.WriteLine($"{letters.GetArrayLength()} dead letters");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Act(TextWriter output, string verb, string description, string result)
    {
        var (url, token, ca) = (AdminApiClient.UrlOption(), AdminApiClient.TokenFileOption(), AdminApiClient.CaFileOption());
        var ids = new Option<long[]>("--id") { Description = "A dead letter's id (repeatable).", AllowMultipleArgumentsPerToken = true };
        var tier = new Option<string>("--tier") { Description = "Every dead letter of this platform tier." };
        var all = new Option<bool>("--all") { Description = "Every dead letter." };
        var command = new Command(verb, description) { url, token, ca, ids, tier, all };
        command.SetAction(async (parse, cancellation) =>
        {
            var chosen = parse.GetValue(ids);
            if ((chosen is null || chosen.Length == 0) && parse.GetValue(tier) is null && !parse.GetValue(all))
            {
                throw new CliException("choose what: --id N (repeatable), --tier NAME or --all", ExitCodes.Usage);
            }

            using var client = AdminApiClient.Create(parse, url, token, ca);
            var answer = await client.PostAsync($"dead-letters/{verb}", new { ids = chosen, tier = parse.GetValue(tier), all = parse.GetValue(all) }, cancellation);
            var affected = answer.GetProperty("ids").EnumerateArray().Select(id => id.GetInt64()).ToList();
            output.WriteLine(affected.Count == 0 ? "nothing matched" : $"{affected.Count} dead letters marked {result}: {string.Join(", ", affected)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.ToString() : "";
}
