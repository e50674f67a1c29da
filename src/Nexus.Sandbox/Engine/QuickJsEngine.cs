using Assembly = System.Reflection.Assembly;
using Nexus.Kernel.Execution;
using Nexus.Sandbox.Runtime;
using Wasmtime;

namespace Nexus.Sandbox.Engine;

/// <summary>
/// The process-wide part of the sandbox: one Wasmtime engine with fuel and epoch interruption, the compiled QuickJS
/// module, the host functions, and the clock that moves every run's wall-clock deadline.
/// </summary>
public sealed class QuickJsEngine : IDisposable
{
    private const string ConfigKey = "fuel+epoch+speed+pooling";

    /// <summary>The largest linear memory a run can have: a 1 GiB JavaScript heap plus the sandbox's own headroom.</summary>
    internal const long MaxLinearMemoryBytes = 1100L * 1024 * 1024;
    private readonly Thread _ticker;
    private readonly ManualResetEventSlim _stopTicking = new();
    private int _disposed;

    public QuickJsEngine(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        // Instances come from a pool of pre-reserved slots, and the first pages of a slot stay resident between runs:
        // instantiation then costs no mmap/munmap and restoring the snapshot few page faults (a fresh instance took
        // 0.12 ms and two threads ran 1.2x one; pooled, 0.03 ms and 1.4x). The slots outnumber the concurrent runs
        // (MAX_INSTANCES) by the two instances booting the snapshot takes, plus spares.
        var slots = (uint)options.MaxInstances + 4;
        var config = new Config()
            .WithFuelConsumption(true)
            .WithEpochInterruption(true)
            .WithOptimizationLevel(OptimizationLevel.Speed)
            .WithPoolingAllocationStrategy(new PoolingAllocationConfig()
                .WithMaxCoreInstances(slots)
                .WithMaxMemories(slots)
                .WithMaxTables(slots)
                .WithMaxMemorySize((nuint)MaxLinearMemoryBytes)
                .WithLinearMemoryKeepResidentBytes(2 * 1024 * 1024));
        WasmEngine = new Wasmtime.Engine(config);
        (Module, LoadInfo) = EngineModuleLoader.Load(WasmEngine, ConfigKey, options.CacheDirectory);
        Linker = new Linker(WasmEngine);
        Linker.DefineWasi();
        Linker.DefineFunction("nexus", "host_call", (Caller caller, int op, int ptr, int len) =>
            ((RunContext)caller.GetData()!).OnHostCall(op, ptr, len));
        Linker.DefineFunction("nexus", "host_result", (Caller caller, int dst) =>
        {
            var run = (RunContext)caller.GetData()!;
            run.Answer.CopyTo(run.Memory!.GetSpan(dst, run.Answer.Length));
        });
        Prelude = ReadPrelude();
        Snapshot = BootSnapshot();
        // A thread of its own, not a thread-pool timer: runs block their callers' threads, and a busy thread pool must
        // not stop the clock that times them out.
        _ticker = new Thread(Tick) { IsBackground = true, Name = "Nexus sandbox epoch" };
        _ticker.Start();
    }

    public SandboxOptions Options { get; }

    /// <summary>Whether the compiled module came from the disk cache, and how long loading took.</summary>
    public EngineLoadInfo LoadInfo { get; }

    internal Wasmtime.Engine WasmEngine { get; }
    internal Module Module { get; }
    internal Linker Linker { get; }
    internal byte[] Prelude { get; }

    /// <summary>Linear memory of a runtime that has evaluated the prelude: every run starts from a copy.</summary>
    internal MemorySnapshot Snapshot { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stopTicking.Set();
        _ticker.Join();
        _stopTicking.Dispose();
        Linker.Dispose();
        Module.Dispose();
        WasmEngine.Dispose();
    }

    private MemorySnapshot BootSnapshot()
    {
        var limits = ExecutionLimits.Default with { TimeoutMs = 60_000 };
        using var fresh = new Store(WasmEngine);
        fresh.SetWasiConfiguration(new WasiConfiguration());
        var freshMemory = Linker.Instantiate(fresh, Module).GetMemory("memory")!;
        using var booted = new SandboxInstance(this, run: null, limits, snapshot: null);
        var (status, output) = booted.Eval(Prelude, "prelude");
        if (status != 0)
        {
            throw new InvalidOperationException($"The sandbox prelude failed to start: {output}");
        }
        return MemorySnapshot.Capture(freshMemory.GetSpan(0, checked((int)freshMemory.GetLength())), booted.MemoryImage);
    }

    private void Tick()
    {
        while (!_stopTicking.Wait(Options.EpochTick))
        {
            WasmEngine.IncrementEpoch();
        }
    }

    private static byte[] ReadPrelude()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Nexus.Sandbox.prelude.js")!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
