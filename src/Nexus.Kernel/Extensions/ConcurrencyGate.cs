using Nexus.Kernel.Execution;

namespace Nexus.Kernel.Extensions;

/// <summary>Runs at most a fixed number of operations at once, with a bounded queue of operations waiting.</summary>
internal sealed class ConcurrencyGate(int maxConcurrent, int maxQueued)
{
    private readonly SemaphoreSlim _slots = new(maxConcurrent, maxConcurrent);
    private int _waiting;

    /// <summary>Runs <paramref name="work"/> once a slot is free.</summary>
    /// <exception cref="ExtensionException">Every slot is busy and the queue is full.</exception>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        if (!_slots.Wait(0))
        {
            await WaitForSlotAsync(ct);
        }
        try
        {
            return await work(ct);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task WaitForSlotAsync(CancellationToken ct)
    {
        if (Interlocked.Increment(ref _waiting) > maxQueued)
        {
            Interlocked.Decrement(ref _waiting);
            throw new ExtensionException(ErrorCodes.ExtensionError,
                $"Too many HTTP requests: {maxConcurrent} in flight and {maxQueued} waiting; try again later");
        }
        try
        {
            await _slots.WaitAsync(ct);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }
}
