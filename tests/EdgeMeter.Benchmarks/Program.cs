return EdgeMeter.Benchmarks.BenchmarkProgram.Run(args);
