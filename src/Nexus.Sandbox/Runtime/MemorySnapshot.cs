using Wasmtime;

namespace Nexus.Sandbox.Runtime;

/// <summary>
/// Linear memory of a booted runtime (C library initialised, QuickJS started, prelude evaluated), stored as the
/// pages that differ from a freshly instantiated module, so restoring it into a new instance copies only those.
/// </summary>
/// <remarks>
/// Restoring is sound because the module keeps no state outside linear memory between calls: its only mutable
/// global, the shadow-stack pointer, is back at its initial value whenever control is in the host.
/// </remarks>
internal sealed class MemorySnapshot
{
    private const int PageBytes = 4096;
    private readonly long _length;
    private readonly (int Offset, byte[] Bytes)[] _ranges;

    private MemorySnapshot(long length, (int, byte[])[] ranges)
    {
        _length = length;
        _ranges = ranges;
    }

    /// <summary>Bytes copied on each restore.</summary>
    public long CopiedBytes => _ranges.Sum(r => (long)r.Bytes.Length);

    /// <summary>Records what <paramref name="booted"/> holds beyond <paramref name="fresh"/>.</summary>
    public static MemorySnapshot Capture(ReadOnlySpan<byte> fresh, ReadOnlySpan<byte> booted)
    {
        var ranges = new List<(int, byte[])>();
        var start = -1;
        for (var page = 0; page * PageBytes < booted.Length; page++)
        {
            var offset = page * PageBytes;
            var size = Math.Min(PageBytes, booted.Length - offset);
            var now = booted.Slice(offset, size);
            var was = offset < fresh.Length ? fresh.Slice(offset, Math.Min(size, fresh.Length - offset)) : [];
            var dirty = was.Length == size ? !now.SequenceEqual(was) : now.ContainsAnyExcept((byte)0) || was.Length > 0;
            if (dirty && start < 0)
            {
                start = offset;
            }
            else if (!dirty && start >= 0)
            {
                ranges.Add((start, booted[start..offset].ToArray()));
                start = -1;
            }
        }
        if (start >= 0)
        {
            ranges.Add((start, booted[start..].ToArray()));
        }
        return new MemorySnapshot(booted.Length, [.. ranges]);
    }

    /// <summary>Makes a freshly instantiated module's memory equal to the booted one.</summary>
    public void RestoreInto(Memory memory)
    {
        var missing = _length - memory.GetLength();
        if (missing > 0)
        {
            memory.Grow((missing + Memory.PageSize - 1) / Memory.PageSize);
        }
        foreach (var (offset, bytes) in _ranges)
        {
            bytes.CopyTo(memory.GetSpan(offset, bytes.Length));
        }
    }
}
