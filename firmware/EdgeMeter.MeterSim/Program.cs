using System.CommandLine;
using EdgeMeter.MeterSim.Cli;
using EdgeMeter.Pc.Cli;

var console = new CliConsole(Console.Out, Console.Error, "edgemeter-meter-sim");
var root = new RootCommand(MeterSimVerb.Description);
MeterSimVerb.Configure(root, console);
return CliRunner.Run(root, args, console);
