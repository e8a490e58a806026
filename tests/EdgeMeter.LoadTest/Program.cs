return await EdgeMeter.LoadTest.LoadTestProgram.RunAsync(args, Console.Out);
