using System.Text;
using Nexus.Kernel.Execution;
using Nexus.Sandbox.Engine;
using Wasmtime;

namespace Nexus.Sandbox.Runtime;

/// <summary>One fresh QuickJS runtime in one fresh Wasmtime store: used for one run, then thrown away.</summary>
internal sealed class SandboxInstance : IDisposable
{
    // Linear memory beyond the JS heap: the 1 MiB shadow stack, static data and allocator overhead. The QuickJS heap
    // limit is hit first, so a memory bomb ends as a clean JavaScript out-of-memory error.
    private const long MemoryHeadroomBytes = 8L * 1024 * 1024;

    private readonly Store _store;
    private readonly Memory _memory;
    private readonly Func<int, int> _alloc;
    private readonly Action<int> _free;
    private readonly Func<int, int, int, int> _eval;
    private readonly Func<int> _outPtr;
    private readonly Func<int> _outLen;
    private readonly Func<int> _heapUsed;
    private readonly Func<int> _heapPeak;
    private readonly Func<int> _heapLimitHit;

    /// <summary>
    /// Starts an instance for <paramref name="run"/>. With a snapshot, linear memory is restored from it (a runtime
    /// with the prelude already evaluated); without one, the runtime is started from scratch.
    /// </summary>
    public SandboxInstance(QuickJsEngine engine, RunContext? run, ExecutionLimits limits, MemorySnapshot? snapshot)
    {
        _store = new Store(engine.WasmEngine, run);
        try
        {
            _store.SetLimits(memorySize: Math.Min(limits.MemoryBytes + MemoryHeadroomBytes, QuickJsEngine.MaxLinearMemoryBytes));
            _store.Fuel = limits.Fuel;
            var tickMs = Math.Max(1, (long)engine.Options.EpochTick.TotalMilliseconds);
            _store.SetEpochDeadline((ulong)((limits.TimeoutMs + tickMs - 1) / tickMs + 1));
            _store.SetWasiConfiguration(new WasiConfiguration());
            var instance = engine.Linker.Instantiate(_store, engine.Module);
            _memory = instance.GetMemory("memory")!;
            if (run is not null)
            {
                run.Memory = _memory;
            }
            _alloc = instance.GetFunction<int, int>("nx_alloc")!;
            _free = instance.GetAction<int>("nx_free")!;
            _eval = instance.GetFunction<int, int, int, int>("nx_eval")!;
            _outPtr = instance.GetFunction<int>("nx_out_ptr")!;
            _outLen = instance.GetFunction<int>("nx_out_len")!;
            _heapUsed = instance.GetFunction<int>("nx_heap_used")!;
            _heapPeak = instance.GetFunction<int>("nx_heap_peak")!;
            _heapLimitHit = instance.GetFunction<int>("nx_heap_limit_hit")!;
            if (snapshot is null)
            {
                instance.GetAction("_initialize")!();
                var rc = instance.GetFunction<int>("nx_init")!();
                if (rc != 0)
                {
                    throw new InvalidOperationException($"The JavaScript runtime could not start inside the sandbox ({rc}).");
                }
            }
            else
            {
                snapshot.RestoreInto(_memory);
            }
            var heapLimit = Math.Min(limits.MemoryBytes, QuickJsEngine.MaxLinearMemoryBytes - MemoryHeadroomBytes);
            instance.GetAction<int, int>("nx_set_limits")!((int)heapLimit, limits.StackBytes);
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    /// <summary>Linear memory as it is now: the whole state of the C runtime and of QuickJS.</summary>
    public ReadOnlySpan<byte> MemoryImage => _memory.GetSpan(0, checked((int)_memory.GetLength()));

    /// <summary>Bytes the QuickJS heap holds now.</summary>
    public long HeapUsed() => _heapUsed();

    /// <summary>The most bytes the QuickJS heap held during the run.</summary>
    public long HeapPeak() => _heapPeak();

    /// <summary>Whether an allocation was refused because the heap limit was reached.</summary>
    public bool HeapLimitHit() => _heapLimitHit() != 0;

    /// <summary>Evaluates a script, runs all pending jobs, and returns the status and JSON output.</summary>
    public (int Status, string Output) Eval(ReadOnlySpan<byte> source, string fileName)
    {
        var name = Encoding.UTF8.GetBytes(fileName);
        var size = source.Length + 1 + name.Length + 1;
        var ptr = _alloc(size);
        if (ptr == 0)
        {
            throw new RunAbortedException(new ExecutionError(ErrorCodes.MemoryLimit,
                "The sandbox has no memory left for the handler source."));
        }
        var span = _memory.GetSpan(ptr, size);
        source.CopyTo(span);
        span[source.Length] = 0;
        name.CopyTo(span[(source.Length + 1)..]);
        span[^1] = 0;
        try
        {
            var status = _eval(ptr, source.Length, ptr + source.Length + 1);
            return (status, Encoding.UTF8.GetString(_memory.GetSpan(_outPtr(), _outLen())));
        }
        finally
        {
            _free(ptr);
        }
    }

    public void Dispose() => _store.Dispose();
}
