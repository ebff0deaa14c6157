using System.Numerics;
using System.Runtime.Intrinsics;

namespace SharpGrad.Kernels;

/// <summary>
/// Max pooling by routing, straight on NCHW planes (no im2col matrix): every output position (n, c, r, s) picks
/// one input position, the argmax of its window in a "routing" tensor. The argmax is the first maximal element in
/// row-major window order; a NaN counts as the maximum (the first NaN), so a NaN in a window gives NaN; padding
/// positions are never chosen. The argmax is recomputed when needed instead of stored, so pooling keeps no index array.
/// </summary>
internal static unsafe class MaxPooling
{
    /// <summary>One call's operands, for the planes' pieces run on the kernel worker threads.</summary>
    private struct Job<T>
        where T : unmanaged
    {
        public T* Values, Routing, Output, Maxima;
        public int InLength, OutLength;
        public WindowGeometry G;
        public bool Same;
    }

    private static ReadOnlySpan<T> In<T>(T* p, int length) where T : unmanaged => p == null ? default : new ReadOnlySpan<T>(p, length);

    /// <summary>y[n, c, r, s] = values[n, c, argmax of routing's window at (r, s)]; when values and routing are the same, simply the window's maximum.</summary>
    /// <remarks>The (image, channel) planes are split over the kernel worker threads; each plane's result is the same on any.</remarks>
    public static void Gather<T>(ReadOnlySpan<T> values, ReadOnlySpan<T> routing, Span<T> y, in WindowGeometry g, bool same)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = g.Batch * g.Channels, inLength = planes * g.Height * g.Width, outLength = planes * g.OutH * g.OutW;
        if (values.Length < inLength || routing.Length < inLength || y.Length < outLength)
            throw new ArgumentException($"maxPool2d: operands of {values.Length}, {routing.Length} and {y.Length} elements are too small for {g}.");
        fixed (T* pv = values, pr = routing, py = y)
        {
            var job = new Job<T> { Values = pv, Routing = pr, Output = py, InLength = inLength, OutLength = outLength, G = g, Same = same };
            ParallelRanges.RunItems(planes, inLength, &job, &GatherPlanes<T>);
        }
    }

    private static void GatherPlanes<T>(void* state, int p0, int p1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref readonly Job<T> job = ref *(Job<T>*)state;
        WindowGeometry g = job.G;
        ReadOnlySpan<T> values = In(job.Values, job.InLength), routing = In(job.Routing, job.InLength);
        var y = new Span<T>(job.Output, job.OutLength);
        bool same = job.Same;
        if (same && IsTwoByTwoStrideTwo(g))
        {
            Max2x2(values, y, g, p0, p1);
            return;
        }
        int outH = g.OutH, outW = g.OutW; // computed properties (a division each): read once
        int planeIn = g.Height * g.Width, planeOut = outH * outW;
        for (int p = p0; p < p1; p++)
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
    /// zero, except where <see cref="ScatterWritesEveryElement"/> says the windows cover it (then every element is
    /// assigned). <paramref name="maxima"/>, when not empty, holds each window's maximum already (the forward's output).
    /// </summary>
    /// <remarks>The (image, channel) planes are split over the kernel worker threads; each plane's result is the same on any.</remarks>
    public static void ScatterAdd<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> routing, Span<T> z, in WindowGeometry g, ReadOnlySpan<T> maxima)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = g.Batch * g.Channels, inLength = planes * g.Height * g.Width, outLength = planes * g.OutH * g.OutW;
        if (grad.Length < outLength || routing.Length < inLength || z.Length < inLength || (!maxima.IsEmpty && maxima.Length < outLength))
            throw new ArgumentException($"maxPool2d backward: operands of {grad.Length}, {routing.Length}, {z.Length} and {maxima.Length} elements are too small for {g}.");
        fixed (T* pg = grad, pr = routing, pz = z, pm = maxima)
        {
            var job = new Job<T> { Values = pg, Routing = pr, Output = pz, Maxima = maxima.IsEmpty ? null : pm, InLength = inLength, OutLength = outLength, G = g };
            ParallelRanges.RunItems(planes, inLength, &job, &ScatterPlanes<T>);
        }
    }

    private static void ScatterPlanes<T>(void* state, int p0, int p1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref readonly Job<T> job = ref *(Job<T>*)state;
        WindowGeometry g = job.G;
        ReadOnlySpan<T> grad = In(job.Values, job.OutLength), routing = In(job.Routing, job.InLength), maxima = In(job.Maxima, job.OutLength);
        var z = new Span<T>(job.Output, job.InLength);
        if (IsTwoByTwoStrideTwo(g))
        {
            Scatter2x2(grad, routing, z, g, maxima, p0, p1);
            return;
        }
        int outH = g.OutH, outW = g.OutW;
        int planeIn = g.Height * g.Width, planeOut = outH * outW;
        for (int p = p0; p < p1; p++)
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
    private static void Max2x2<T>(ReadOnlySpan<T> x, Span<T> y, in WindowGeometry g, int p0, int p1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW, width = g.Width, planeIn = g.Height * width, planeOut = outH * outW;
        for (int p = p0; p < p1; p++)
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

    /// <summary>
    /// Whether <see cref="ScatterAdd"/> assigns every element of z, so that z need not be cleared first: 2×2 windows of
    /// stride 2 without padding over an even height and width tile the input exactly.
    /// </summary>
    public static bool ScatterWritesEveryElement(in WindowGeometry g) => IsTwoByTwoStrideTwo(g) && g.Height % 2 == 0 && g.Width % 2 == 0;

    private static bool IsTwoByTwoStrideTwo(in WindowGeometry g) => g is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 };

    /// <summary>
    /// <see cref="ScatterAdd"/> for 2×2 windows of stride 2 without padding, which do not overlap: each of a window's
    /// four positions is assigned the window's gradient (the first maximum in row-major order, or the first NaN when
    /// the maximum is NaN, as <see cref="IndexOf"/> chooses) or zero. A last odd row or column belongs to no window and
    /// is left as it is. The general loop cost 0.84 ms of a 3.2 ms CNN training step (batch 32, one thread).
    /// </summary>
    private static void Scatter2x2<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> routing, Span<T> z, in WindowGeometry g, ReadOnlySpan<T> maxima, int p0, int p1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = g.OutH, outW = g.OutW, width = g.Width, planeIn = g.Height * width, planeOut = outH * outW;
        for (int p = p0; p < p1; p++)
        {
            var plane = routing.Slice(p * planeIn, planeIn);
            var target = z.Slice(p * planeIn, planeIn);
            var source = grad.Slice(p * planeOut, planeOut);
            var known = maxima.IsEmpty ? maxima : maxima.Slice(p * planeOut, planeOut);
            for (int r = 0; r < outH; r++)
            {
                var top = plane.Slice(2 * r * width, width);
                var bottom = plane.Slice((2 * r + 1) * width, width);
                var zTop = target.Slice(2 * r * width, width);
                var zBottom = target.Slice((2 * r + 1) * width, width);
                var row = source.Slice(r * outW, outW);
                int s = known.IsEmpty ? 0 : Scatter2x2Vectors(top, bottom, known.Slice(r * outW, outW), row, zTop, zBottom);
                for (; s < row.Length; s++)
                {
                    T a = top[2 * s], b = top[2 * s + 1], c = bottom[2 * s], d = bottom[2 * s + 1];
                    T max = known.IsEmpty ? T.Max(T.Max(a, b), T.Max(c, d)) : known[r * outW + s];
                    // A NaN is in the window exactly when the maximum is NaN (T.Max propagates it); it then equals nothing.
                    // Without branches on the data (where the maximum lies is random, so a branch would mispredict): bit i
                    // of `matches` says element i (row-major) is the maximum; bit 3 is set anyway, for when only d is.
                    int matches = Bit((a == max) | T.IsNaN(a)) | (Bit((b == max) | T.IsNaN(b)) << 1) | (Bit((c == max) | T.IsNaN(c)) << 2) | 8;
                    int first = BitOperations.TrailingZeroCount(matches);
                    zTop[2 * s] = T.Zero;
                    zTop[2 * s + 1] = T.Zero;
                    zBottom[2 * s] = T.Zero;
                    zBottom[2 * s + 1] = T.Zero;
                    target[((2 * r + (first >> 1)) * width) + (2 * s) + (first & 1)] = row[s];
                }
            }
        }
    }

    /// <summary>
    /// The windows of one output row that whole 256-bit vectors cover (W/2 windows a step, W lanes per vector), when each
    /// window's maximum is known: lanes come in pairs (the window's two columns), each compared with its window's
    /// maximum (a NaN counts as a match); a pair's left lane wins a tie, the top pair wins over the bottom one, and the
    /// bottom right lane takes the gradient when nothing matches, as in the scalar loop. The gradient is selected by a
    /// bit mask, so a NaN or infinite gradient passes unchanged. Returns the first window not done.
    /// </summary>
    private static int Scatter2x2Vectors<T>(ReadOnlySpan<T> top, ReadOnlySpan<T> bottom, ReadOnlySpan<T> maxima, ReadOnlySpan<T> grad, Span<T> zTop, Span<T> zBottom)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Vector256.IsHardwareAccelerated || (typeof(T) != typeof(float) && typeof(T) != typeof(double)))
            return 0;
        int half = Vector256<T>.Count / 2, s = 0;
        Vector256<T> oddLanes = OddLanes<T>();
        for (; s + half <= grad.Length; s += half)
        {
            Vector256<T> t = Vector256.Create(top.Slice(2 * s, 2 * half));
            Vector256<T> u = Vector256.Create(bottom.Slice(2 * s, 2 * half));
            Vector128<T> maxHalf = Vector128.Create(maxima.Slice(s, half)), gradHalf = Vector128.Create(grad.Slice(s, half));
            Vector256<T> max = PairDuplicate(Vector256.Create(maxHalf, maxHalf));
            Vector256<T> value = PairDuplicate(Vector256.Create(gradHalf, gradHalf));
            Vector256<T> matchTop = Vector256.Equals(t, max) | ~Vector256.Equals(t, t);
            Vector256<T> matchBottom = Vector256.Equals(u, max) | ~Vector256.Equals(u, u);
            Vector256<T> anyTop = matchTop | PairSwap(matchTop);
            Vector256<T> none = ~(anyTop | matchBottom | PairSwap(matchBottom));
            Vector256<T> firstTop = matchTop & ~(PairSwap(matchTop) & oddLanes);
            Vector256<T> firstBottom = (matchBottom & ~(PairSwap(matchBottom) & oddLanes) & ~anyTop) | (none & oddLanes);
            (value & firstTop).CopyTo(zTop.Slice(2 * s, 2 * half));
            (value & firstBottom).CopyTo(zBottom.Slice(2 * s, 2 * half));
        }

        return s;
    }

    /// <summary>Lanes 2i and 2i + 1 both take lane i (i &lt; W/2).</summary>
    private static Vector256<T> PairDuplicate<T>(Vector256<T> v)
        where T : unmanaged => typeof(T) == typeof(float)
        ? Vector256.Shuffle(v.AsSingle(), Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3)).As<float, T>()
        : Vector256.Shuffle(v.AsDouble(), Vector256.Create(0L, 0, 1, 1)).As<double, T>();

    /// <summary>Lanes 2i and 2i + 1 exchanged.</summary>
    private static Vector256<T> PairSwap<T>(Vector256<T> v)
        where T : unmanaged => typeof(T) == typeof(float)
        ? Vector256.Shuffle(v.AsSingle(), Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)).As<float, T>()
        : Vector256.Shuffle(v.AsDouble(), Vector256.Create(1L, 0, 3, 2)).As<double, T>();

    /// <summary>All bits set in the odd lanes, none in the even ones.</summary>
    private static Vector256<T> OddLanes<T>()
        where T : unmanaged => typeof(T) == typeof(float)
        ? Vector256.Create(0, -1, 0, -1, 0, -1, 0, -1).As<int, T>()
        : Vector256.Create(0L, -1, 0, -1).As<long, T>();

    private static int Bit(bool value) => System.Runtime.CompilerServices.Unsafe.BitCast<bool, byte>(value);

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
