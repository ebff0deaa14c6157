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
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int baseIndex = o * n * inner + i;
                int best = 0;
                T bestValue = x[baseIndex];
                for (int j = 1; j < n && !T.IsNaN(bestValue); j++)
                {
                    T v = x[baseIndex + j * inner];
                    if (v > bestValue || T.IsNaN(v)) { bestValue = v; best = j; }
                }
                values[o * inner + i] = bestValue;
                mask[baseIndex + best * inner] = T.One;
            }
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
                if (T.IsNaN(x[b])) max = x[b];
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
