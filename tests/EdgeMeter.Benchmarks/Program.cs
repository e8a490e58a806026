using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(EdgeMeter.Benchmarks.PacketVerifyBenchmark).Assembly).Run(args);
