using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>
/// The geometry of a 2-D sliding window over an NCHW batch: input size, kernel, stride and zero padding, and the
/// output size they give, OH = ⌊(H + 2·padH − kernelH) / strideH⌋ + 1 (likewise OW).
/// </summary>
/// <param name="Batch">N.</param>
/// <param name="Channels">C.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
/// <param name="KernelH">The window's height.</param>
/// <param name="KernelW">The window's width.</param>
/// <param name="StrideH">The vertical step between windows.</param>
/// <param name="StrideW">The horizontal step between windows.</param>
/// <param name="PadH">Rows added above and below.</param>
/// <param name="PadW">Columns added left and right.</param>
internal readonly record struct WindowGeometry(int Batch, int Channels, int Height, int Width, int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW)
{
    /// <summary>OH.</summary>
    public int OutH => (Height + 2 * PadH - KernelH) / StrideH + 1;

    /// <summary>OW.</summary>
    public int OutW => (Width + 2 * PadW - KernelW) / StrideW + 1;

    /// <summary>Rows of the column matrix: C·kernelH·kernelW, one per (channel, kernel row, kernel column).</summary>
    public int Rows => Channels * KernelH * KernelW;

    /// <summary>Columns of the column matrix: N·OH·OW, one per (image, output row, output column).</summary>
    public int Columns => Batch * OutH * OutW;

    /// <summary>The input's shape [N, C, H, W].</summary>
    public int[] InputShape => [Batch, Channels, Height, Width];

    /// <summary>Checks the settings and that at least one window fits; the message names the operation and shapes.</summary>
    /// <param name="operation">The operation's name, for the message.</param>
    /// <exception cref="ArgumentException">A setting is out of range or the padded input is smaller than the kernel.</exception>
    public void Validate(string operation)
    {
        if (KernelH < 1 || KernelW < 1 || StrideH < 1 || StrideW < 1 || PadH < 0 || PadW < 0)
            throw new ArgumentException($"{operation}: kernel {KernelH}×{KernelW}, stride {StrideH}×{StrideW}, padding {PadH}×{PadW}: kernel and stride must be at least 1 and padding non-negative.");
        if (Height + 2 * PadH < KernelH || Width + 2 * PadW < KernelW)
            throw new ArgumentException($"{operation}: the {KernelH}×{KernelW} kernel does not fit the input {Height}×{Width} with padding {PadH}×{PadW}.");
    }
}

/// <summary>
/// im2col and its adjoint col2im: the unfolding of sliding windows into the columns of a matrix, so a
/// convolution becomes one matrix product (weights [O, C·kh·kw] · columns [C·kh·kw, N·OH·OW]). Both split the
/// (channel, image) pairs over the kernel worker threads (<see cref="ParallelRanges.RunItems"/>): a pair's part of the
/// matrix (image n's columns in channel c's rows) and its plane of the image belong to it alone, so every element is
/// computed by the same operations, in the same order, for every thread count.
/// </summary>
internal static unsafe class Im2Col
{
    private struct Job<T>
        where T : unmanaged
    {
        public T* X, Cols;
        public WindowGeometry G;
        public T PadValue;
    }

    /// <summary>
    /// cols[(c, i, j), (n, oh, ow)] = x[n, c, oh·strideH − padH + i, ow·strideW − padW + j], or
    /// <paramref name="padValue"/> where that position lies in the padding. <paramref name="cols"/> is
    /// Rows × Columns, row-major.
    /// </summary>
    public static void Unfold<T>(ReadOnlySpan<T> x, in WindowGeometry g, T padValue, Span<T> cols) where T : unmanaged, INumberBase<T>
    {
        Require(x.Length, cols.Length, g);
        fixed (T* px = x, pc = cols)
        {
            var job = new Job<T> { X = px, Cols = pc, G = g, PadValue = padValue };
            ParallelRanges.RunItems(g.Channels * g.Batch, (long)g.Rows * g.Columns, &job, &UnfoldPairs<T>);
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Unfold{T}"/>: x = 0, then x[n, c, oh·strideH − padH + i, ow·strideW − padW + j] +=
    /// cols[(c, i, j), (n, oh, ow)] for every position inside the image (padding positions are dropped).
    /// Overlapping windows add up, so this is the gradient of unfolding.
    /// </summary>
    public static void Fold<T>(ReadOnlySpan<T> cols, in WindowGeometry g, Span<T> x) where T : unmanaged, INumberBase<T>
    {
        Require(x.Length, cols.Length, g);
        fixed (T* px = x, pc = cols)
        {
            var job = new Job<T> { X = px, Cols = pc, G = g };
            ParallelRanges.RunItems(g.Channels * g.Batch, (long)g.Rows * g.Columns, &job, &FoldPairs<T>);
        }
    }

    private static void Require(int xLength, int colsLength, in WindowGeometry g)
    {
        if (xLength < g.Batch * g.Channels * g.Height * g.Width || colsLength < g.Rows * g.Columns)
            throw new ArgumentException($"im2col: an image of {xLength} and a matrix of {colsLength} elements are too small for {g}.");
    }

    /// <summary>
    /// Unfold for the (channel, image) pairs [p0, p1), numbered c·N + n: pair (c, n) fills the columns of image n in
    /// the rows (c, i, j) of the matrix.
    /// </summary>
    private static void UnfoldPairs<T>(void* state, int p0, int p1) where T : unmanaged, INumberBase<T>
    {
        ref readonly Job<T> job = ref *(Job<T>*)state;
        WindowGeometry g = job.G;
        var x = new ReadOnlySpan<T>(job.X, g.Batch * g.Channels * g.Height * g.Width);
        var cols = new Span<T>(job.Cols, g.Rows * g.Columns);
        T padValue = job.PadValue;
        int oh = g.OutH, ow = g.OutW, columns = g.Columns;
        for (int pair = p0; pair < p1; pair++)
        {
            int c = pair / g.Batch, n = pair % g.Batch;
            var plane = x.Slice((n * g.Channels + c) * g.Height * g.Width, g.Height * g.Width);
            for (int i = 0; i < g.KernelH; i++)
                for (int j = 0; j < g.KernelW; j++)
                {
                    var row = cols.Slice(((c * g.KernelH + i) * g.KernelW + j) * columns, columns);
                    var (first, end) = ValidOutputColumns(g, j, ow);
                    for (int r = 0; r < oh; r++)
                    {
                        var dst = row.Slice((n * oh + r) * ow, ow);
                        int ih = r * g.StrideH - g.PadH + i;
                        if ((uint)ih >= (uint)g.Height || first >= end) { dst.Fill(padValue); continue; }
                        dst[..first].Fill(padValue);
                        dst[end..].Fill(padValue);
                        var src = plane.Slice(ih * g.Width, g.Width);
                        int iw = first * g.StrideW - g.PadW + j;
                        if (g.StrideW == 1) src.Slice(iw, end - first).CopyTo(dst[first..end]);
                        else for (int k = first; k < end; k++, iw += g.StrideW) dst[k] = src[iw];
                    }
                }
        }
    }

    /// <summary>Fold for the (channel, image) pairs [p0, p1), numbered c·N + n: pair (c, n) clears plane (n, c) of the image and sums into it.</summary>
    private static void FoldPairs<T>(void* state, int p0, int p1) where T : unmanaged, INumberBase<T>
    {
        ref readonly Job<T> job = ref *(Job<T>*)state;
        WindowGeometry g = job.G;
        var x = new Span<T>(job.X, g.Batch * g.Channels * g.Height * g.Width);
        var cols = new ReadOnlySpan<T>(job.Cols, g.Rows * g.Columns);
        int oh = g.OutH, ow = g.OutW, columns = g.Columns;
        for (int pair = p0; pair < p1; pair++)
        {
            int c = pair / g.Batch, n = pair % g.Batch;
            var plane = x.Slice((n * g.Channels + c) * g.Height * g.Width, g.Height * g.Width);
            plane.Clear();
            for (int i = 0; i < g.KernelH; i++)
                for (int j = 0; j < g.KernelW; j++)
                {
                    var row = cols.Slice(((c * g.KernelH + i) * g.KernelW + j) * columns, columns);
                    var (first, end) = ValidOutputColumns(g, j, ow);
                    if (first >= end) continue;
                    for (int r = 0; r < oh; r++)
                    {
                        int ih = r * g.StrideH - g.PadH + i;
                        if ((uint)ih >= (uint)g.Height) continue;
                        var src = row.Slice((n * oh + r) * ow, ow);
                        var dst = plane.Slice(ih * g.Width, g.Width);
                        int iw = first * g.StrideW - g.PadW + j;
                        if (g.StrideW == 1)
                        {
                            var d = dst.Slice(iw, end - first);
                            TensorPrimitives.Add(d, src[first..end], d);
                        }
                        else for (int k = first; k < end; k++, iw += g.StrideW) dst[iw] += src[k];
                    }
                }
        }
    }

    /// <summary>The output columns [first, end) whose window column j falls inside the image: 0 ≤ ow·s − p + j &lt; W.</summary>
    private static (int First, int End) ValidOutputColumns(in WindowGeometry g, int j, int ow)
    {
        int lead = g.PadW - j; // ow·s ≥ lead
        int first = lead <= 0 ? 0 : (lead + g.StrideW - 1) / g.StrideW;
        int last = g.Width - 1 + g.PadW - j; // ow·s ≤ last
        int end = last < 0 ? 0 : Math.Min(ow, last / g.StrideW + 1);
        return (Math.Min(first, ow), end);
    }
}
