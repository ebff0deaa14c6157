using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>Reductions along one axis, viewing the input as (outer, n, inner) with the axis in the middle.</summary>
internal static class Reductions
{
    /// <summary>
    /// values[o, i] = max over j of x[o, j, i]; mask[o, j, i] = 1 at the first position attaining it, else 0.
    /// A NaN anywhere along the axis makes the maximum NaN (and the mask marks the first NaN).
    /// </summary>
    public static void MaxAlongAxis<T>(ReadOnlySpan<T> x, int outer, int n, int inner, Span<T> values, Span<T> mask)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        mask.Clear();
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var row = x.Slice(o * n, n);
                int best = 0;
                for (int j = 1; j < n && !T.IsNaN(row[best]); j++)
                    if (row[j] > row[best] || T.IsNaN(row[j])) best = j;
                values[o] = row[best];
                mask[o * n + best] = T.One;
            }
            return;
        }
        // Walk whole rows of the inner dimension so memory is read in order (pooling windows, axis-0 maxima).
        var bestIndex = inner <= 1024 ? stackalloc int[inner] : new int[inner];
        for (int o = 0; o < outer; o++)
        {
            int b = o * n * inner;
            var best = values.Slice(o * inner, inner);
            x.Slice(b, inner).CopyTo(best);
            bestIndex.Clear();
            for (int j = 1; j < n; j++)
            {
                var row = x.Slice(b + j * inner, inner);
                for (int i = 0; i < inner; i++)
                {
                    T v = row[i];
                    // Strictly greater keeps the first maximum; the first NaN wins and is never replaced.
                    if (v > best[i] || (T.IsNaN(v) && !T.IsNaN(best[i]))) { best[i] = v; bestIndex[i] = j; }
                }
            }
            for (int i = 0; i < inner; i++) mask[b + bestIndex[i] * inner + i] = T.One;
        }
    }

    /// <summary>
    /// Softmax along the middle axis: y[o, j, i] = exp(x[o, j, i] − m) / Σ_j exp(x[o, j, i] − m), m the maximum,
    /// so large inputs do not overflow. With <paramref name="log"/>, y = x − m − log Σ exp(x − m) (log-softmax).
    /// </summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, int outer, int n, int inner, Span<T> y, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var row = x.Slice(o * n, n);
                var dst = y.Slice(o * n, n);
                T max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, dst);
                if (log)
                {
                    T sumExp = T.Zero;
                    foreach (var v in dst) sumExp += T.Exp(v);
                    TensorPrimitives.Subtract(dst, T.Log(sumExp), dst);
                }
                else
                {
                    TensorPrimitives.Exp(dst, dst);
                    TensorPrimitives.Divide(dst, TensorPrimitives.Sum(dst), dst);
                }
            }
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int b = o * n * inner + i;
                T max = x[b];
                for (int j = 1; j < n; j++) max = T.MaxNumber(max, x[b + j * inner]);
                T sum = T.Zero;
                for (int j = 0; j < n; j++) sum += T.Exp(x[b + j * inner] - max);
                T logSum = T.Log(sum);
                for (int j = 0; j < n; j++)
                {
                    T shifted = x[b + j * inner] - max;
                    y[b + j * inner] = log ? shifted - logSum : T.Exp(shifted) / sum;
                }
            }
        }
    }
}
