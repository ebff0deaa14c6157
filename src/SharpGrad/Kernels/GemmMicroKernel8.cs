using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// The 8-row register tile, for paths with 32 vector registers (Vector512): an 8 × (2·W) tile of C in sixteen
/// accumulators. Eight rows divide the common layer sizes (128, 784, 1000) and let A be packed with whole-vector
/// copies and 8 × 8 transposes.
/// </summary>
internal static unsafe partial class GemmMicroKernel<TOps, TVec, T>
    where TOps : struct, ISimd<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    /// <summary>
    /// The 8-row form of <see cref="Run6"/>: c[i, j] = (loadC ? c[i, j] : 0) + Σ_p a[p·aStep + i·aRow] · b[p·bStep + j]
    /// for i &lt; 8, j &lt; 2·W, with the same per-element operation order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run8(int kc, T* a, nint aRow, nint aStep, T* b, nint bStep, T* c, nint ldc, bool loadC)
    {
        int w = TOps.Count;
        if (Sse.IsSupported)
        {
            int last = (2 * w) - 1;
            T* cp = c;
            for (int i = 0; i < 8; i++, cp += ldc)
            {
                Sse.Prefetch0(cp);
                Sse.Prefetch0(cp + last);
            }
        }

        // Rows 0-3 from a, rows 4-7 from a4: three row offsets serve both halves.
        T* a4 = a + (4 * aRow);
        nint r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow;
        TVec c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = TOps.Zero;
        c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = TOps.Zero;
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
            ai = TOps.Broadcast(a4);
            c40 = TOps.MultiplyAdd(ai, b0, c40); c41 = TOps.MultiplyAdd(ai, b1, c41);
            ai = TOps.Broadcast(a4 + r1);
            c50 = TOps.MultiplyAdd(ai, b0, c50); c51 = TOps.MultiplyAdd(ai, b1, c51);
            ai = TOps.Broadcast(a4 + r2);
            c60 = TOps.MultiplyAdd(ai, b0, c60); c61 = TOps.MultiplyAdd(ai, b1, c61);
            ai = TOps.Broadcast(a4 + r3);
            c70 = TOps.MultiplyAdd(ai, b0, c70); c71 = TOps.MultiplyAdd(ai, b1, c71);
            a += aStep;
            a4 += aStep;
            b += bStep;
        }

        StoreRow(c, w, c00, c01, loadC); c += ldc;
        StoreRow(c, w, c10, c11, loadC); c += ldc;
        StoreRow(c, w, c20, c21, loadC); c += ldc;
        StoreRow(c, w, c30, c31, loadC); c += ldc;
        StoreRow(c, w, c40, c41, loadC); c += ldc;
        StoreRow(c, w, c50, c51, loadC); c += ldc;
        StoreRow(c, w, c60, c61, loadC); c += ldc;
        StoreRow(c, w, c70, c71, loadC);
    }

    /// <summary>The 8-row form of <see cref="RunHalf6"/>: one vector (W columns) per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunHalf8(int kc, T* a, nint aRow, nint aStep, T* b, nint bStep, T* c, nint ldc, bool loadC)
    {
        T* a4 = a + (4 * aRow);
        nint r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow;
        TVec c0, c1, c2, c3, c4, c5, c6, c7;
        c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = TOps.Zero;
        for (int p = kc; p > 0; p--)
        {
            TVec b0 = TOps.Load(b);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(a), b0, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(a + r1), b0, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(a + r2), b0, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(a + r3), b0, c3);
            c4 = TOps.MultiplyAdd(TOps.Broadcast(a4), b0, c4);
            c5 = TOps.MultiplyAdd(TOps.Broadcast(a4 + r1), b0, c5);
            c6 = TOps.MultiplyAdd(TOps.Broadcast(a4 + r2), b0, c6);
            c7 = TOps.MultiplyAdd(TOps.Broadcast(a4 + r3), b0, c7);
            a += aStep;
            a4 += aStep;
            b += bStep;
        }

        StoreOne(c, c0, loadC); c += ldc;
        StoreOne(c, c1, loadC); c += ldc;
        StoreOne(c, c2, loadC); c += ldc;
        StoreOne(c, c3, loadC); c += ldc;
        StoreOne(c, c4, loadC); c += ldc;
        StoreOne(c, c5, loadC); c += ldc;
        StoreOne(c, c6, loadC); c += ldc;
        StoreOne(c, c7, loadC);
    }

    /// <summary>
    /// The bottom-edge form of <see cref="Run8"/> for a last row panel with at most four rows (m = 100 = 12·8 + 4):
    /// rows 0-3 only, read from the same A panel layout, with the same per-element operation order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run4(int kc, T* a, nint aRow, nint aStep, T* b, nint bStep, T* c, nint ldc, bool loadC)
    {
        int w = TOps.Count;
        nint r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow;
        TVec c00, c01, c10, c11, c20, c21, c30, c31;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = TOps.Zero;
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
            a += aStep;
            b += bStep;
        }

        StoreRow(c, w, c00, c01, loadC); c += ldc;
        StoreRow(c, w, c10, c11, loadC); c += ldc;
        StoreRow(c, w, c20, c21, loadC); c += ldc;
        StoreRow(c, w, c30, c31, loadC);
    }

    /// <summary>The four-row form of <see cref="RunHalf8"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunHalf4(int kc, T* a, nint aRow, nint aStep, T* b, nint bStep, T* c, nint ldc, bool loadC)
    {
        nint r1 = aRow, r2 = 2 * aRow, r3 = 3 * aRow;
        TVec c0, c1, c2, c3;
        c0 = c1 = c2 = c3 = TOps.Zero;
        for (int p = kc; p > 0; p--)
        {
            TVec b0 = TOps.Load(b);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(a), b0, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(a + r1), b0, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(a + r2), b0, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(a + r3), b0, c3);
            a += aStep;
            b += bStep;
        }

        StoreOne(c, c0, loadC); c += ldc;
        StoreOne(c, c1, loadC); c += ldc;
        StoreOne(c, c2, loadC); c += ldc;
        StoreOne(c, c3, loadC);
    }

    /// <summary>c[0 .. 2·W) = (loadC ? c : 0) + (x, y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(T* c, int w, TVec x, TVec y, bool loadC)
    {
        if (loadC)
        {
            x = TOps.Add(x, TOps.Load(c));
            y = TOps.Add(y, TOps.Load(c + w));
        }

        TOps.Store(x, c);
        TOps.Store(y, c + w);
    }

    /// <summary>c[0 .. W) = (loadC ? c : 0) + x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreOne(T* c, TVec x, bool loadC)
    {
        if (loadC)
            x = TOps.Add(x, TOps.Load(c));
        TOps.Store(x, c);
    }
}
