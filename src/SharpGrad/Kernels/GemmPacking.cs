using System.Numerics;
using System.Runtime.CompilerServices;

namespace SharpGrad.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, zero-padded micro-panel layout the micro-kernel
/// streams through. This is where transposes are absorbed: only the order of reads changes.
/// </summary>
internal static unsafe class GemmPacking<T>
    where T : unmanaged
{
    /// <summary>
    /// Packs op(A)[row0 .. row0+mc, col0 .. col0+kc] into ⌈mc/mr⌉ panels of kc × mr:
    /// dst[panel·kc·mr + p·mr + i] = op(A)[row0 + panel·mr + i, col0 + p], zero for rows past mc.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(T* a, int lda, bool transA, int row0, int col0, int mc, int kc, int mr, T* dst)
    {
        for (int r0 = 0; r0 < mc; r0 += mr, dst += kc * mr)
        {
            int rows = Math.Min(mr, mc - r0);
            if (transA)
            {
                // op(A)[i, p] = a[p·lda + i]: each p is a contiguous run of rows.
                T* src = a + ((nint)col0 * lda) + row0 + r0;
                for (int p = 0; p < kc; p++, src += lda)
                {
                    T* d = dst + (p * mr);
                    for (int i = 0; i < rows; i++)
                        d[i] = src[i];
                    for (int i = rows; i < mr; i++)
                        d[i] = default;
                }
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
                for (int i = 0; i < rows; i++)
                {
                    T* src = a + ((nint)(row0 + r0 + i) * lda) + col0;
                    for (int p = 0; p < kc; p++)
                        dst[(p * mr) + i] = src[p];
                }

                for (int i = rows; i < mr; i++)
                {
                    for (int p = 0; p < kc; p++)
                        dst[(p * mr) + i] = default;
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
        for (int j0 = 0; j0 < nc; j0 += nr, dst += kc * nr)
        {
            int cols = Math.Min(nr, nc - j0);
            if (transB)
            {
                // op(B)[p, j] = b[j·ldb + p]: each column of op(B) is a contiguous row of b.
                for (int j = 0; j < cols; j++)
                {
                    T* src = b + ((nint)(col0 + j0 + j) * ldb) + row0;
                    for (int p = 0; p < kc; p++)
                        dst[(p * nr) + j] = src[p];
                }

                for (int j = cols; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++)
                        dst[(p * nr) + j] = default;
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
}
