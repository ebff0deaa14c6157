using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, zero-padded micro-panel layout the micro-kernel
/// streams through. This is where transposes are absorbed: only the order of reads changes.
/// </summary>
internal static unsafe class GemmPacking<T>
    where T : unmanaged
{
    /// <summary>
    /// Source rows copied together by the row-wise packers (<see cref="PackBRowWise"/> and a transposed A): each panel
    /// then receives one contiguous run of RowGroup·width elements (1 KB for a float B panel) instead of one short run
    /// per source row. With kc = 256 the panels lie 32 KB apart (256 × 32 floats, 256 × 16 doubles), a multiple of
    /// 4 KB, so a row's short runs all fell in the same L1 sets. Measured on a 2-core Zen 5 guest, in-process A/B
    /// against packing one row at a time: fp64 512³ NN and TN 5–9 % faster on 2 threads and 3–5 % on 1; fp32 512³ and
    /// 1024³ 3–4 % faster on 2 threads; no shape slower beyond the noise. The packed layout, and so every result, is unchanged.
    /// </summary>
    private const int RowGroup = 8;

    /// <summary>
    /// Packs op(A)[row0 .. row0+mc, col0 .. col0+kc] into ⌈mc/mr⌉ panels of kc × mr:
    /// dst[panel·kc·mr + p·mr + i] = op(A)[row0 + panel·mr + i, col0 + p], zero for rows past mc.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(T* a, int lda, bool transA, int row0, int col0, int mc, int kc, int mr, T* dst)
    {
        if (transA && mr % Vector<T>.Count == 0 && mc >= mr)
        {
            // op(A)[i, p] = a[p·lda + i]: each p is a contiguous run of rows. The full panels are copied RowGroup values
            // of p at a time across all of them (see RowGroup), the partial one below.
            int full = mc / mr;
            CopyRowGroups(a + ((nint)col0 * lda) + row0, lda, full, kc, mr, dst);
            row0 += full * mr;
            mc -= full * mr;
            dst += (nint)full * kc * mr;
        }

        for (int r0 = 0; r0 < mc; r0 += mr, dst += kc * mr)
        {
            int rows = Math.Min(mr, mc - r0);
            if (transA)
            {
                // op(A)[i, p] = a[p·lda + i]: each p is a contiguous run of rows. A partial panel is cleared first in one
                // vectorised sweep (element-wise zero padding cost more than the copy).
                if (rows < mr)
                    new Span<T>(dst, kc * mr).Clear();
                T* src = a + ((nint)col0 * lda) + row0 + r0;
                for (int p = 0; p < kc; p++, src += lda)
                {
                    T* d = dst + (p * mr);
                    for (int i = 0; i < rows; i++)
                        d[i] = src[i];
                }
            }
            else if (rows == mr && TryPackTransposedPanel(a + ((nint)(row0 + r0) * lda) + col0, lda, kc, mr, dst))
            {
                // op(A)[i, p] = a[i·lda + p]: the panel is the transpose of mr row segments (8 × 8 register transposes).
            }
            else if (rows == 6 && mr == 6)
            {
                // op(A)[i, p] = a[i·lda + p]: six row streams, written out contiguously.
                T* r0p = a + ((nint)(row0 + r0) * lda) + col0;
                T* r1p = r0p + lda, r2p = r1p + lda, r3p = r2p + lda, r4p = r3p + lda, r5p = r4p + lda;
                T* d = dst;
                for (int p = 0; p < kc; p++, d += 6)
                {
                    d[0] = r0p[p]; d[1] = r1p[p]; d[2] = r2p[p];
                    d[3] = r3p[p]; d[4] = r4p[p]; d[5] = r5p[p];
                }
            }
            else
            {
                if (rows < mr)
                    new Span<T>(dst, kc * mr).Clear();
                for (int i = 0; i < rows; i++)
                {
                    T* src = a + ((nint)(row0 + r0 + i) * lda) + col0;
                    for (int p = 0; p < kc; p++)
                        dst[(p * mr) + i] = src[p];
                }
            }
        }
    }

    /// <summary>
    /// Packs op(B)[row0 .. row0+kc, col0 .. col0+nc] into ⌈nc/nr⌉ panels of kc × nr:
    /// dst[panel·kc·nr + p·nr + j] = op(B)[row0 + p, col0 + panel·nr + j], zero for columns past nc.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(T* b, int ldb, bool transB, int row0, int col0, int kc, int nc, int nr, T* dst)
    {
        if (!transB)
        {
            PackBRowWise(b, ldb, row0, col0, kc, nc, nr, dst);
            return;
        }

        for (int j0 = 0; j0 < nc; j0 += nr, dst += kc * nr)
        {
            int cols = Math.Min(nr, nc - j0);
            if (transB)
            {
                // op(B)[p, j] = b[j·ldb + p]: each column of op(B) is a contiguous row of b.
                if (cols == nr && TryPackTransposedPanel(b + ((nint)(col0 + j0) * ldb) + row0, ldb, kc, nr, dst))
                    continue;
                // A partial panel: clear it in one vectorised sweep, then scatter its few columns.
                new Span<T>(dst, kc * nr).Clear();
                for (int j = 0; j < cols; j++)
                {
                    T* src = b + ((nint)(col0 + j0 + j) * ldb) + row0;
                    for (int p = 0; p < kc; p++)
                        dst[(p * nr) + j] = src[p];
                }
            }
            else
            {
                // op(B)[p, j] = b[p·ldb + j]: each p is a contiguous run of columns.
                T* src = b + ((nint)row0 * ldb) + col0 + j0;
                if (cols == nr && nr % Vector<T>.Count == 0)
                {
                    for (int p = 0; p < kc; p++, src += ldb)
                    {
                        T* d = dst + (p * nr);
                        for (int j = 0; j < nr; j += Vector<T>.Count)
                            Vector.Store(Vector.Load(src + j), d + j);
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++, src += ldb)
                    {
                        T* d = dst + (p * nr);
                        for (int j = 0; j < cols; j++)
                            d[j] = src[j];
                        for (int j = cols; j < nr; j++)
                            d[j] = default;
                    }
                }
            }
        }
    }

    /// <summary>
    /// PackB for a B stored k × n (op(B)[p, j] = b[p·ldb + j]): reads each source row segment once, left to right, and
    /// scatters its runs of <paramref name="nr"/> into the panels. Walking panel by panel instead reads only nr elements
    /// per source row before jumping ldb ahead: a pattern the hardware prefetcher does not follow, so when B comes from
    /// memory every row costs a full miss (measured: packing then cost as much as the multiply for m = 128).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBRowWise(T* b, int ldb, int row0, int col0, int kc, int nc, int nr, T* dst)
    {
        int full = nc / nr;
        int rest = nc - (full * nr);
        int lanes = Vector<T>.Count;
        bool vectorised = nr % lanes == 0;
        nint panelStride = (nint)kc * nr;
        if (rest > 0)
            new Span<T>(dst + (full * panelStride), kc * nr).Clear(); // the partial last panel's zero padding, at once
        if (vectorised)
        {
            // The full panels RowGroup rows at a time (see RowGroup); the partial panel's few columns row by row below.
            CopyRowGroups(b + ((nint)row0 * ldb) + col0, ldb, full, kc, nr, dst);
            if (rest == 0)
                return;
        }

        for (int p = 0; p < kc; p++)
        {
            T* src = b + ((nint)(row0 + p) * ldb) + col0;
            T* d = dst + ((nint)p * nr);
            if (vectorised)
            {
                src += full * nr;
                d += full * panelStride;
            }
            else
            {
                for (int panel = 0; panel < full; panel++, src += nr, d += panelStride)
                {
                    for (int j = 0; j < nr; j++)
                        d[j] = src[j];
                }
            }

            for (int j = 0; j < rest; j++)
                d[j] = src[j];
        }
    }

    /// <summary>
    /// dst[panel·kc·w + p·w + j] = src[p·ld + panel·w + j] for panel &lt; <paramref name="panels"/>, p &lt; kc, j &lt; w,
    /// with w a multiple of the vector width: RowGroup source rows at a time, each panel receiving one contiguous run of
    /// RowGroup·w elements, so every source row is read left to right and every panel written in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRowGroups(T* src, int ld, int panels, int kc, int w, T* dst)
    {
        int lanes = Vector<T>.Count;
        nint panelStride = (nint)kc * w;
        for (int p0 = 0; p0 < kc; p0 += RowGroup)
        {
            int rows = Math.Min(RowGroup, kc - p0);
            T* groupSrc = src + ((nint)p0 * ld);
            T* groupDst = dst + ((nint)p0 * w);
            for (int panel = 0; panel < panels; panel++, groupSrc += w, groupDst += panelStride)
            {
                T* s = groupSrc;
                T* d = groupDst;
                for (int r = 0; r < rows; r++, s += ld, d += w)
                {
                    for (int j = 0; j < w; j += lanes)
                        Vector.Store(Vector.Load(s + j), d + j);
                }
            }
        }
    }

    /// <summary>
    /// dst[p·nr + j] = src[j·ld + p] for a full panel (j &lt; nr, p &lt; kc) with in-register 8 × 8 (float) or 4 × 4
    /// (double) AVX transposes instead of one scalar store per element. Returns false where that is not available.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryPackTransposedPanel(T* src, int ld, int kc, int nr, T* dst)
    {
        if (!Avx.IsSupported)
            return false;
        return TryTranspose(src, ld, nr, kc, dst, nr);
    }

    /// <summary>
    /// dst[p·dstStride + j] = src[j·ld + p] for j &lt; <paramref name="rows"/>, p &lt; <paramref name="cols"/>: the
    /// transpose of a rows × cols block, with in-register 8 × 8 (float) or 4 × 4 (double) AVX transposes. Returns false,
    /// writing nothing, where that is not available (no AVX, or rows not a multiple of 8 or 4).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryTranspose(T* src, int ld, int rows, int cols, T* dst, int dstStride)
    {
        if (!Avx.IsSupported)
            return false;
        if (typeof(T) == typeof(float) && rows % 8 == 0)
        {
            TransposeFloat((float*)src, ld, cols, rows, dstStride, (float*)dst);
            return true;
        }

        if (typeof(T) == typeof(double) && rows % 4 == 0)
        {
            TransposeDouble((double*)src, ld, cols, rows, dstStride, (double*)dst);
            return true;
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeFloat(float* src, int ld, int kc, int nr, nint dstStride, float* dst)
    {
        for (int j = 0; j < nr; j += 8)
        {
            float* s0 = src + ((nint)j * ld);
            nint l = ld;
            float* d = dst + j;
            int p = 0;
            for (; p + 8 <= kc; p += 8)
            {
                float* s = s0 + p;
                Vector256<float> v0 = Avx.LoadVector256(s), v1 = Avx.LoadVector256(s + l);
                Vector256<float> v2 = Avx.LoadVector256(s + (2 * l)), v3 = Avx.LoadVector256(s + (3 * l));
                Vector256<float> v4 = Avx.LoadVector256(s + (4 * l)), v5 = Avx.LoadVector256(s + (5 * l));
                Vector256<float> v6 = Avx.LoadVector256(s + (6 * l)), v7 = Avx.LoadVector256(s + (7 * l));
                Vector256<float> t0 = Avx.UnpackLow(v0, v1), t1 = Avx.UnpackHigh(v0, v1);
                Vector256<float> t2 = Avx.UnpackLow(v2, v3), t3 = Avx.UnpackHigh(v2, v3);
                Vector256<float> t4 = Avx.UnpackLow(v4, v5), t5 = Avx.UnpackHigh(v4, v5);
                Vector256<float> t6 = Avx.UnpackLow(v6, v7), t7 = Avx.UnpackHigh(v6, v7);
                Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
                Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
                Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
                Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
                float* o = d + (p * dstStride);
                Avx.Store(o, Avx.Permute2x128(u0, u4, 0x20));
                Avx.Store(o + dstStride, Avx.Permute2x128(u1, u5, 0x20));
                Avx.Store(o + (2 * dstStride), Avx.Permute2x128(u2, u6, 0x20));
                Avx.Store(o + (3 * dstStride), Avx.Permute2x128(u3, u7, 0x20));
                Avx.Store(o + (4 * dstStride), Avx.Permute2x128(u0, u4, 0x31));
                Avx.Store(o + (5 * dstStride), Avx.Permute2x128(u1, u5, 0x31));
                Avx.Store(o + (6 * dstStride), Avx.Permute2x128(u2, u6, 0x31));
                Avx.Store(o + (7 * dstStride), Avx.Permute2x128(u3, u7, 0x31));
            }

            for (; p < kc; p++)
            {
                for (int jj = 0; jj < 8; jj++)
                    d[(p * dstStride) + jj] = s0[((nint)jj * ld) + p];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeDouble(double* src, int ld, int kc, int nr, nint dstStride, double* dst)
    {
        for (int j = 0; j < nr; j += 4)
        {
            double* s0 = src + ((nint)j * ld);
            nint l = ld;
            double* d = dst + j;
            int p = 0;
            for (; p + 4 <= kc; p += 4)
            {
                double* s = s0 + p;
                Vector256<double> v0 = Avx.LoadVector256(s), v1 = Avx.LoadVector256(s + l);
                Vector256<double> v2 = Avx.LoadVector256(s + (2 * l)), v3 = Avx.LoadVector256(s + (3 * l));
                Vector256<double> t0 = Avx.UnpackLow(v0, v1), t1 = Avx.UnpackHigh(v0, v1);
                Vector256<double> t2 = Avx.UnpackLow(v2, v3), t3 = Avx.UnpackHigh(v2, v3);
                double* o = d + (p * dstStride);
                Avx.Store(o, Avx.Permute2x128(t0, t2, 0x20));
                Avx.Store(o + dstStride, Avx.Permute2x128(t1, t3, 0x20));
                Avx.Store(o + (2 * dstStride), Avx.Permute2x128(t0, t2, 0x31));
                Avx.Store(o + (3 * dstStride), Avx.Permute2x128(t1, t3, 0x31));
            }

            for (; p < kc; p++)
            {
                for (int jj = 0; jj < 4; jj++)
                    d[(p * dstStride) + jj] = s0[((nint)jj * ld) + p];
            }
        }
    }
}
