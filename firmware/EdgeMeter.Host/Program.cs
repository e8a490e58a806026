using EdgeMeter.Host.Cli;

return EdgeMeterCli.Run(args, Console.Out, Console.Error);
