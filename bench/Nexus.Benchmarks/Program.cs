using BenchmarkDotNet.Running;
using Nexus.Benchmarks;

// `quick` prints percentiles and throughput from plain timing loops in seconds; anything else goes to BenchmarkDotNet.
if (args is ["quick", ..])
{
    await QuickReport.RunAsync();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(SandboxBenchmarks).Assembly).Run(args);
