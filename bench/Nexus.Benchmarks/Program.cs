using BenchmarkDotNet.Running;
using Nexus.Benchmarks;

// `quick` prints percentiles and throughput from plain timing loops in seconds; `server` measures the HTTP server on
// Azurite; anything else goes to BenchmarkDotNet.
if (args is ["quick", ..])
{
    await QuickReport.RunAsync();
    return;
}
if (args is ["server", ..])
{
    await ServerReport.RunAsync();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(SandboxBenchmarks).Assembly).Run(args);
