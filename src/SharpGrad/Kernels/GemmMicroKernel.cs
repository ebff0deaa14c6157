using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// The register-blocked core of the GEMM: an MR × (2·W) tile of C (W = lanes per vector) held in vector
/// accumulators while k runs over one A micro-panel and one B micro-panel. MR is 8 where the path has 32 vector
/// registers (Vector512) and 6 otherwise (16 registers: twelve accumulators, two B vectors, one broadcast).
/// </summary>
internal static unsafe partial class GemmMicroKernel<TOps, TVec, T>
    where TOps : struct, ISimd<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    /// <summary>Rows of C per tile: 8 on the 512-bit path, 6 otherwise (a JIT-time constant per instantiation).</summary>
    public static int MR => TOps.Count * sizeof(T) == 64 ? 8 : 6;

    /// <summary>Columns of C per tile.</summary>
    public static int NR => 2 * TOps.Count;

    /// <summary>
    /// c[i, j] = (loadC ? c[i, j] : 0) + Σ_p a[p·aStep + i·aRow] · b[p·bStep + j] for i &lt; MR, j &lt; NR. A packed
    /// panel has aRow = 1, aStep = MR, bStep = NR; an operand already in a friendly layout is read in place. The sum over p is
    /// taken in increasing p from zero, one fused multiply-add per term, held in registers for the whole panel; the
    /// old value of C (when loaded) is added once at the end. The order never depends on the caller's threading.
    /// </summary>
    /// <remarks>
    /// Deliberately call-free: the JIT spills vector locals that live across a call. C is only prefetched at the
    /// start, so its (often cache-missing) rows arrive while the k-loop runs instead of stalling the first FMA.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(int kc, T* a, nint aRow, nint aStep, T* b, nint bStep, T* c, nint ldc, bool loadC)
    {
        if (MR == 8)
            Run8(kc, a, aRow, aStep, b, bStep, c, ldc, loadC);
        else
            Run6(kc, a, aRow, aStep, b, bStep, c, ldc, loadC);
    }

    /// <summary>
    /// The same as <see cref="Run"/> for a tile only W = <c>TOps.Count</c> columns wide (one vector per row), for a last
    /// column panel with at most W columns left: same operations per element, half the wasted lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunHalf(int kc, T* a, nint aRow, nint aStep, T* b, nint bStep, T* c, nint ldc, bool loadC)
    {
        if (MR == 8)
            RunHalf8(kc, a, aRow, aStep, b, bStep, c, ldc, loadC);
        else
            RunHalf6(kc, a, aRow, aStep, b, bStep, c, ldc, loadC);
    }

    /// <summary>The 6-row tile of <see cref="Run"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run6(int kc, T* a, nint aRow, nint aStep, T* b, nint bStep, T* c, nint ldc, bool loadC)
    {
        int w = TOps.Count;
        T* c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        nint r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow, r4 = 4 * aRow, r5 = 5 * aRow;
        if (Sse.IsSupported)
        {
            // A row of the tile is 2·W elements (64 or 128 bytes): touch its first and last element.
            int last = (2 * w) - 1;
            Sse.Prefetch0(c); Sse.Prefetch0(c + last);
            Sse.Prefetch0(c1); Sse.Prefetch0(c1 + last);
            Sse.Prefetch0(c2); Sse.Prefetch0(c2 + last);
            Sse.Prefetch0(c3); Sse.Prefetch0(c3 + last);
            Sse.Prefetch0(c4); Sse.Prefetch0(c4 + last);
            Sse.Prefetch0(c5); Sse.Prefetch0(c5 + last);
        }

        TVec c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = TOps.Zero;
        for (int p = kc; p > 0; p--)
        {
            TVec b0 = TOps.Load(b), b1 = TOps.Load(b + w);
            TVec ai = TOps.Broadcast(a);
            c00 = TOps.MultiplyAdd(ai, b0, c00); c01 = TOps.MultiplyAdd(ai, b1, c01);
            ai = TOps.Broadcast(a + r1);
            c10 = TOps.MultiplyAdd(ai, b0, c10); c11 = TOps.MultiplyAdd(ai, b1, c11);
            ai = TOps.Broadcast(a + r2);
            c20 = TOps.MultiplyAdd(ai, b0, c20); c21 = TOps.MultiplyAdd(ai, b1, c21);
            ai = TOps.Broadcast(a + r3);
            c30 = TOps.MultiplyAdd(ai, b0, c30); c31 = TOps.MultiplyAdd(ai, b1, c31);
            ai = TOps.Broadcast(a + r4);
            c40 = TOps.MultiplyAdd(ai, b0, c40); c41 = TOps.MultiplyAdd(ai, b1, c41);
            ai = TOps.Broadcast(a + r5);
            c50 = TOps.MultiplyAdd(ai, b0, c50); c51 = TOps.MultiplyAdd(ai, b1, c51);
            a += aStep;
            b += bStep;
        }

        if (loadC)
        {
            c00 = TOps.Add(c00, TOps.Load(c)); c01 = TOps.Add(c01, TOps.Load(c + w));
            c10 = TOps.Add(c10, TOps.Load(c1)); c11 = TOps.Add(c11, TOps.Load(c1 + w));
            c20 = TOps.Add(c20, TOps.Load(c2)); c21 = TOps.Add(c21, TOps.Load(c2 + w));
            c30 = TOps.Add(c30, TOps.Load(c3)); c31 = TOps.Add(c31, TOps.Load(c3 + w));
            c40 = TOps.Add(c40, TOps.Load(c4)); c41 = TOps.Add(c41, TOps.Load(c4 + w));
            c50 = TOps.Add(c50, TOps.Load(c5)); c51 = TOps.Add(c51, TOps.Load(c5 + w));
        }

        TOps.Store(c00, c); TOps.Store(c01, c + w);
        TOps.Store(c10, c1); TOps.Store(c11, c1 + w);
        TOps.Store(c20, c2); TOps.Store(c21, c2 + w);
        TOps.Store(c30, c3); TOps.Store(c31, c3 + w);
        TOps.Store(c40, c4); TOps.Store(c41, c4 + w);
        TOps.Store(c50, c5); TOps.Store(c51, c5 + w);
    }

    /// <summary>The 6-row tile of <see cref="RunHalf"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunHalf6(int kc, T* a, nint aRow, nint aStep, T* b, nint bStep, T* c, nint ldc, bool loadC)
    {
        T* c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        nint r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow, r4 = 4 * aRow, r5 = 5 * aRow;
        TVec c0v, c1v, c2v, c3v, c4v, c5v;
        c0v = c1v = c2v = c3v = c4v = c5v = TOps.Zero;
        for (int p = kc; p > 0; p--)
        {
            TVec b0 = TOps.Load(b);
            c0v = TOps.MultiplyAdd(TOps.Broadcast(a), b0, c0v);
            c1v = TOps.MultiplyAdd(TOps.Broadcast(a + r1), b0, c1v);
            c2v = TOps.MultiplyAdd(TOps.Broadcast(a + r2), b0, c2v);
            c3v = TOps.MultiplyAdd(TOps.Broadcast(a + r3), b0, c3v);
            c4v = TOps.MultiplyAdd(TOps.Broadcast(a + r4), b0, c4v);
            c5v = TOps.MultiplyAdd(TOps.Broadcast(a + r5), b0, c5v);
            a += aStep;
            b += bStep;
        }

        if (loadC)
        {
            c0v = TOps.Add(c0v, TOps.Load(c)); c1v = TOps.Add(c1v, TOps.Load(c1)); c2v = TOps.Add(c2v, TOps.Load(c2));
            c3v = TOps.Add(c3v, TOps.Load(c3)); c4v = TOps.Add(c4v, TOps.Load(c4)); c5v = TOps.Add(c5v, TOps.Load(c5));
        }

        TOps.Store(c0v, c); TOps.Store(c1v, c1); TOps.Store(c2v, c2);
        TOps.Store(c3v, c3); TOps.Store(c4v, c4); TOps.Store(c5v, c5);
    }
}
