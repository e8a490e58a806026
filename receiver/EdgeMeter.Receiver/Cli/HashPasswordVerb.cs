using EdgeMeter.Common.Crypto;
using System.CommandLine;
using EdgeMeter.Common.Cli;
using EdgeMeter.Receiver.Auth;

namespace EdgeMeter.Receiver.Cli;

/// <summary>`hash-password`: reads a password from standard input, prints a PasswordHash value for the configuration.</summary>
internal static class HashPasswordVerb
{
    public static Command Create(TextWriter output, TextReader input)
    {
        var iterations = new Option<int>("--iterations") { Description = "PBKDF2 iterations.", DefaultValueFactory = _ => PasswordHash.DefaultIterations };
        var command = new Command("hash-password", "Read a broker password from standard input and print its PBKDF2 hash (for PasswordHash).") { iterations };
        command.SetAction(parse =>
        {
            var password = input.ReadLine();
            if (string.IsNullOrEmpty(password))
            {
                throw new CliException("no password on standard input", ExitCodes.Usage);
            }

            var count = parse.GetValue(iterations);
            if (count is < 1000 or > 10_000_000)
            {
                throw new CliException("--iterations must be 1000-10000000", ExitCodes.Usage);
            }

            output.WriteLine(PasswordHash.Create(password, count));
            return ExitCodes.Ok;
        });
        return command;
    }
}
