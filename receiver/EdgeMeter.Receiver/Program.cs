using EdgeMeter.Receiver.Cli;

return await ReceiverCli.RunAsync(args, Console.Out, Console.Error, Console.In);
