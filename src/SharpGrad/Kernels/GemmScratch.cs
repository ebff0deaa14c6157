using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Per-thread, grow-only, pinned and 64-byte aligned pack buffers, so steady-state GEMM calls allocate nothing.
/// </summary>
internal static unsafe class GemmScratch<T>
    where T : unmanaged
{
    private const int Alignment = 64;

    [ThreadStatic]
    private static T[]? t_buffer;

    /// <summary>Returns an aligned pointer to at least <paramref name="elements"/> elements owned by this thread.</summary>
    public static T* Rent(long elements)
    {
        long needed = elements + (Alignment / sizeof(T));
        T[]? buffer = t_buffer;
        if (buffer is null || buffer.Length < needed)
        {
            buffer = GC.AllocateUninitializedArray<T>(checked((int)needed), pinned: true);
            t_buffer = buffer;
        }

        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        nint aligned = (address + (Alignment - 1)) & ~(nint)(Alignment - 1);
        return (T*)aligned;
    }

    /// <summary>Rounds an element count up so the next region starts 64-byte aligned.</summary>
    public static long AlignUp(long elements)
    {
        long perLine = Alignment / sizeof(T);
        return (elements + perLine - 1) / perLine * perLine;
    }
}
