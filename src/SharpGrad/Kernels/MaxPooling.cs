using System.Numerics;

namespace SharpGrad.Kernels;

/// <summary>
/// Max pooling by routing, straight on NCHW planes (no im2col matrix): every output position (n, c, r, s) picks
/// one input position, the argmax of its window in a "routing" tensor. The argmax is the first maximal element in
/// row-major window order; a NaN counts as the maximum (the first NaN), so a NaN in a window gives NaN; padding
/// positions are never chosen. The argmax is recomputed when needed instead of stored, so pooling keeps no index array.
/// </summary>
internal static class MaxPooling
{
    /// <summary>y[n, c, r, s] = values[n, c, argmax of routing's window at (r, s)]; when values and routing are the same, simply the window's maximum.</summary>
    public static void Gather<T>(ReadOnlySpan<T> values, ReadOnlySpan<T> routing, Span<T> y, in WindowGeometry g, bool same)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (same && g is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 })
        {
            Max2x2(values, y, g);
            return;
        }
        int outH = g.OutH, outW = g.OutW; // computed properties (a division each): read once
        int planeIn = g.Height * g.Width, planeOut = outH * outW;
        for (int p = 0; p < g.Batch * g.Channels; p++)
        {
            var route = routing.Slice(p * planeIn, planeIn);
            var source = values.Slice(p * planeIn, planeIn);
            var output = y.Slice(p * planeOut, planeOut);
            for (int r = 0; r < outH; r++)
            {
                var rows = Rows(g, r);
                for (int s = 0; s < outW; s++)
                {
                    var cols = Columns(g, s);
                    T max = WindowMax(route, g.Width, rows, cols);
                    output[r * outW + s] = same ? max : source[IndexOf(route, g.Width, rows, cols, max)];
                }
            }
        }
    }

    /// <summary>
    /// z[n, c, argmax of routing's window at (r, s)] += grad[n, c, r, s] for every output position; z must start at
    /// zero. <paramref name="maxima"/>, when not empty, holds each window's maximum already (the forward's output).
    /// </summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> routing, Span<T> z, in WindowGeometry g, ReadOnlySpan<T> maxima)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW;
        int planeIn = g.Height * g.Width, planeOut = outH * outW;
        for (int p = 0; p < g.Batch * g.Channels; p++)
        {
            var route = routing.Slice(p * planeIn, planeIn);
            var target = z.Slice(p * planeIn, planeIn);
            var source = grad.Slice(p * planeOut, planeOut);
            for (int r = 0; r < outH; r++)
            {
                var rows = Rows(g, r);
                for (int s = 0; s < outW; s++)
                {
                    var cols = Columns(g, s);
                    T max = maxima.IsEmpty ? WindowMax(route, g.Width, rows, cols) : maxima[p * planeOut + r * outW + s];
                    target[IndexOf(route, g.Width, rows, cols, max)] += source[r * outW + s];
                }
            }
        }
    }

    /// <summary>
    /// The common 2×2, stride 2, unpadded max pooling: the four values combined as a tree (two independent maxima, then
    /// one) rather than a chain, with the same result as <see cref="WindowMax"/> (NaN propagates; T.Max is symmetric).
    /// </summary>
    private static void Max2x2<T>(ReadOnlySpan<T> x, Span<T> y, in WindowGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW, width = g.Width, planeIn = g.Height * width, planeOut = outH * outW;
        for (int p = 0; p < g.Batch * g.Channels; p++)
        {
            var plane = x.Slice(p * planeIn, planeIn);
            var output = y.Slice(p * planeOut, planeOut);
            for (int r = 0; r < outH; r++)
            {
                var top = plane.Slice(2 * r * width, width);
                var bottom = plane.Slice((2 * r + 1) * width, width);
                var row = output.Slice(r * outW, outW);
                for (int s = 0; s < row.Length; s++)
                    row[s] = T.Max(T.Max(top[2 * s], top[2 * s + 1]), T.Max(bottom[2 * s], bottom[2 * s + 1]));
            }
        }
    }

    /// <summary>The input rows [Start, End) of the windows in output row r (padding rows excluded).</summary>
    private static (int Start, int End) Rows(in WindowGeometry g, int r)
    {
        int top = r * g.StrideH - g.PadH;
        return (Math.Max(0, top), Math.Min(g.Height, top + g.KernelH));
    }

    /// <summary>The input columns [Start, End) of the windows in output column s (padding columns excluded).</summary>
    private static (int Start, int End) Columns(in WindowGeometry g, int s)
    {
        int left = s * g.StrideW - g.PadW;
        return (Math.Max(0, left), Math.Min(g.Width, left + g.KernelW));
    }

    /// <summary>The window's maximum; NaN if the window holds a NaN (T.Max propagates it).</summary>
    private static T WindowMax<T>(ReadOnlySpan<T> plane, int width, (int Start, int End) rows, (int Start, int End) cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = plane[rows.Start * width + cols.Start];
        for (int i = rows.Start; i < rows.End; i++)
            foreach (T v in plane.Slice(i * width + cols.Start, cols.End - cols.Start)) max = T.Max(max, v);
        return max;
    }

    /// <summary>The plane index of the first element (row-major) equal to <paramref name="max"/>, or the first NaN when it is NaN.</summary>
    private static int IndexOf<T>(ReadOnlySpan<T> plane, int width, (int Start, int End) rows, (int Start, int End) cols, T max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(max))
        {
            for (int i = rows.Start; i < rows.End; i++)
                for (int j = cols.Start; j < cols.End; j++)
                    if (T.IsNaN(plane[i * width + j])) return i * width + j;
        }
        // Backwards without branches on the data (the position of the maximum is random, so a branch would mispredict):
        // each match overwrites the answer, the last overwrite being the first match.
        int found = 0;
        for (int i = rows.End - 1; i >= rows.Start; i--)
            for (int j = cols.End - 1; j >= cols.Start; j--)
            {
                int k = i * width + j;
                int match = -System.Runtime.CompilerServices.Unsafe.BitCast<bool, byte>(plane[k] == max); // 0 or −1
                found ^= (found ^ k) & match;
            }
        return found;
    }
}
