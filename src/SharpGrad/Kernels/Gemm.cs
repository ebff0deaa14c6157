namespace SharpGrad.Kernels;

/// <summary>General matrix multiply (temporary simple version; replaced by the packed kernel).</summary>
public static class Gemm
{
    /// <summary>C (m×n) = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/> is true. Row-major.</summary>
    /// <param name="a">A: m×k, or k×m when <paramref name="transA"/>.</param>
    /// <param name="b">B: k×n, or n×k when <paramref name="transB"/>.</param>
    /// <param name="c">C: m×n.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="transA">Whether A is stored transposed.</param>
    /// <param name="transB">Whether B is stored transposed.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool transA = false, bool transB = false, bool accumulate = false)
    {
        if (!accumulate) c[..(m * n)].Clear();
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                float av = transA ? a[p * m + i] : a[i * k + p];
                if (!transB) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), av, row, row);
                else for (int j = 0; j < n; j++) row[j] += av * b[j * k + p];
            }
        }
    }

    /// <summary>C (m×n) = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/> is true. Row-major.</summary>
    /// <param name="a">A: m×k, or k×m when <paramref name="transA"/>.</param>
    /// <param name="b">B: k×n, or n×k when <paramref name="transB"/>.</param>
    /// <param name="c">C: m×n.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="transA">Whether A is stored transposed.</param>
    /// <param name="transB">Whether B is stored transposed.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int n, int k, bool transA = false, bool transB = false, bool accumulate = false)
    {
        if (!accumulate) c[..(m * n)].Clear();
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                double av = transA ? a[p * m + i] : a[i * k + p];
                if (!transB) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), av, row, row);
                else for (int j = 0; j < n; j++) row[j] += av * b[j * k + p];
            }
        }
    }
}
