using System.Numerics;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

/// <summary>
/// General matrix multiply on row-major spans: C = op(A)·op(B), or C += op(A)·op(B).
/// </summary>
/// <remarks>
/// Blocked and packed in the style of BLIS (packed A and B panels sized for the caches, a register-blocked
/// fused-multiply-add micro-kernel), multithreaded on a persistent pool per <see cref="KernelSettings.Threads"/>.
/// For a given vector path (<see cref="KernelSettings.VectorPath"/>) results are bit-identical for any thread
/// count. C must not overlap A or B.
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// Computes <c>c[i·n + j] = (accumulate ? c[i·n + j] : 0) + Σ_p op(A)[i, p] · op(B)[p, j]</c> for
    /// i &lt; m, j &lt; n, p &lt; k, in single precision. op(A)[i, p] is <c>a[i·k + p]</c>, or <c>a[p·m + i]</c> when
    /// <paramref name="transA"/>; op(B)[p, j] is <c>b[p·n + j]</c>, or <c>b[j·k + p]</c> when <paramref name="transB"/>.
    /// NaN and infinity propagate as in the sum of products; with k = 0 and no accumulation C is zeroed.
    /// </summary>
    /// <param name="a">A, stored m×k (or k×m when <paramref name="transA"/>); at least m·k elements.</param>
    /// <param name="b">B, stored k×n (or n×k when <paramref name="transB"/>); at least k·n elements.</param>
    /// <param name="c">Destination C, m×n; at least m·n elements. Only the first m·n are touched.</param>
    /// <param name="m">Rows of op(A) and of C.</param>
    /// <param name="n">Columns of op(B) and of C.</param>
    /// <param name="k">Columns of op(A) = rows of op(B): the length of each dot product.</param>
    /// <param name="transA">Whether A is stored transposed (k×m).</param>
    /// <param name="transB">Whether B is stored transposed (n×k).</param>
    /// <param name="accumulate">Whether to add the product to C instead of overwriting it.</param>
    /// <exception cref="ArgumentOutOfRangeException">m, n or k is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool transA = false, bool transB = false, bool accumulate = false)
        => Multiply<float>(a, b, c, m, n, k, transA, transB, accumulate);

    /// <summary>
    /// Computes <c>c[i·n + j] = (accumulate ? c[i·n + j] : 0) + Σ_p op(A)[i, p] · op(B)[p, j]</c> for
    /// i &lt; m, j &lt; n, p &lt; k, in double precision. op(A)[i, p] is <c>a[i·k + p]</c>, or <c>a[p·m + i]</c> when
    /// <paramref name="transA"/>; op(B)[p, j] is <c>b[p·n + j]</c>, or <c>b[j·k + p]</c> when <paramref name="transB"/>.
    /// NaN and infinity propagate as in the sum of products; with k = 0 and no accumulation C is zeroed.
    /// </summary>
    /// <param name="a">A, stored m×k (or k×m when <paramref name="transA"/>); at least m·k elements.</param>
    /// <param name="b">B, stored k×n (or n×k when <paramref name="transB"/>); at least k·n elements.</param>
    /// <param name="c">Destination C, m×n; at least m·n elements. Only the first m·n are touched.</param>
    /// <param name="m">Rows of op(A) and of C.</param>
    /// <param name="n">Columns of op(B) and of C.</param>
    /// <param name="k">Columns of op(A) = rows of op(B): the length of each dot product.</param>
    /// <param name="transA">Whether A is stored transposed (k×m).</param>
    /// <param name="transB">Whether B is stored transposed (n×k).</param>
    /// <param name="accumulate">Whether to add the product to C instead of overwriting it.</param>
    /// <exception cref="ArgumentOutOfRangeException">m, n or k is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int n, int k, bool transA = false, bool transB = false, bool accumulate = false)
        => Multiply<double>(a, b, c, m, n, k, transA, transB, accumulate);

    private static unsafe void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transA, bool transB, bool accumulate)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        // The matrix descriptions are built only for the error: a call that passes allocates nothing.
        if (a.Length < (long)m * k) ThrowTooShort(a.Length, (long)m * k, nameof(a), transA ? $"A ({k}×{m}, transposed)" : $"A ({m}×{k})");
        if (b.Length < (long)k * n) ThrowTooShort(b.Length, (long)k * n, nameof(b), transB ? $"B ({n}×{k}, transposed)" : $"B ({k}×{n})");
        if (c.Length < (long)m * n) ThrowTooShort(c.Length, (long)m * n, nameof(c), $"C ({m}×{n})");

        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            if (!accumulate)
                c[..(m * n)].Clear();
            return;
        }

        int threads = KernelSettings.Threads;
        KernelPath path = KernelSettings.ActivePath;
        fixed (T* pa = a, pb = b, pc = c)
        {
            var args = new GemmArgs<T> { A = pa, B = pb, C = pc, M = m, N = n, K = k, TransA = transA, TransB = transB, Accumulate = accumulate };
            switch (path)
            {
                case KernelPath.Vector512:
                    GemmDriver<Simd512<T>, Vector512<T>, T>.Run(ref args, threads);
                    break;
                case KernelPath.Vector256:
                    GemmDriver<Simd256<T>, Vector256<T>, T>.Run(ref args, threads);
                    break;
                default:
                    GemmDriver<SimdPortable<T>, Vector<T>, T>.Run(ref args, threads);
                    break;
            }
        }
    }

    private static void ThrowTooShort(int actual, long required, string paramName, string matrix) =>
        throw new ArgumentException($"{matrix} needs {required} elements but the span has {actual}.", paramName);
}
