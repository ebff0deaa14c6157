using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Kernels;

/// <summary>The four arithmetic operations of the binary element-wise kernel.</summary>
internal enum BinaryOp { Add, Subtract, Multiply, Divide }

/// <summary>
/// Element-wise kernels over contiguous row-major storage, with NumPy broadcasting. The innermost dimension
/// runs through <see cref="TensorPrimitives"/> (vectorised); outer dimensions walk an index odometer.
/// </summary>
internal static class Elementwise
{
    /// <summary>destination = x (op) y, with x and y read through broadcast strides (0 along broadcast dimensions).</summary>
    public static void Binary<T>(BinaryOp op, ReadOnlySpan<T> x, ReadOnlySpan<int> xStrides, ReadOnlySpan<T> y, ReadOnlySpan<int> yStrides, Span<T> destination, ReadOnlySpan<int> shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (destination.Length == 0) return;
        if (shape.Length == 0 || (x.Length == destination.Length && y.Length == destination.Length))
        {
            Row(op, x, 1, y, 1, destination);
            return;
        }
        if (y.Length == 1 && x.Length == destination.Length) { Row(op, x, 1, y, 0, destination); return; }
        if (x.Length == 1 && y.Length == destination.Length) { Row(op, x, 0, y, 1, destination); return; }

        int rank = shape.Length, n = shape[rank - 1];
        int xs = xStrides[rank - 1], ys = yStrides[rank - 1];
        Span<int> index = stackalloc int[rank];
        int xo = 0, yo = 0;
        for (int d = 0; d < destination.Length; d += n)
        {
            Row(op, x[xo..], xs, y[yo..], ys, destination.Slice(d, n));
            for (int k = rank - 2; k >= 0; k--)
            {
                xo += xStrides[k];
                yo += yStrides[k];
                if (++index[k] < shape[k]) break;
                xo -= xStrides[k] * shape[k];
                yo -= yStrides[k] * shape[k];
                index[k] = 0;
            }
        }
    }

    /// <summary>
    /// The most elements one TensorPrimitives call is given. Above 256 KB of output TensorPrimitives writes with
    /// non-temporal stores, which bypass the cache; in a training step the next operation reads the result straight
    /// back, so long spans go in pieces that stay in cache (measured: a 313 KB add took 0.35 ns per element in one
    /// call and 0.10 in pieces).
    /// </summary>
    public const int CacheChunk = 16 * 1024;

    /// <summary>One innermost row: each operand is contiguous (stride 1) or a repeated scalar (stride 0); long rows in cache-sized pieces.</summary>
    private static void Row<T>(BinaryOp op, ReadOnlySpan<T> x, int xs, ReadOnlySpan<T> y, int ys, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start < d.Length; start += CacheChunk)
        {
            int length = Math.Min(CacheChunk, d.Length - start);
            RowPiece(op, xs == 1 ? x[start..] : x, xs, ys == 1 ? y[start..] : y, ys, d.Slice(start, length));
        }
    }

    private static void RowPiece<T>(BinaryOp op, ReadOnlySpan<T> x, int xs, ReadOnlySpan<T> y, int ys, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length;
        if (xs == 1 && ys == 1)
        {
            x = x[..n]; y = y[..n];
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, y, d); break;
                case BinaryOp.Subtract: TensorPrimitives.Subtract(x, y, d); break;
                case BinaryOp.Multiply: TensorPrimitives.Multiply(x, y, d); break;
                default: TensorPrimitives.Divide(x, y, d); break;
            }
        }
        else if (xs == 1)
        {
            x = x[..n];
            T s = y[0];
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, s, d); break;
                case BinaryOp.Subtract: TensorPrimitives.Subtract(x, s, d); break;
                case BinaryOp.Multiply: TensorPrimitives.Multiply(x, s, d); break;
                default: TensorPrimitives.Divide(x, s, d); break;
            }
        }
        else if (ys == 1)
        {
            y = y[..n];
            T s = x[0];
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(y, s, d); break;
                case BinaryOp.Subtract: TensorPrimitives.Subtract(s, y, d); break;
                case BinaryOp.Multiply: TensorPrimitives.Multiply(y, s, d); break;
                default: TensorPrimitives.Divide(s, y, d); break;
            }
        }
        else
        {
            T a = x[0], b = y[0];
            d.Fill(op switch
            {
                BinaryOp.Add => a + b,
                BinaryOp.Subtract => a - b,
                BinaryOp.Multiply => a * b,
                _ => a / b,
            });
        }
    }

    /// <summary>destination = x broadcast to <paramref name="shape"/> (x read through broadcast strides).</summary>
    public static void BroadcastTo<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xStrides, Span<T> destination, ReadOnlySpan<int> shape) where T : unmanaged
    {
        if (destination.Length == 0) return;
        if (x.Length == destination.Length) { x.CopyTo(destination); return; }
        if (x.Length == 1) { destination.Fill(x[0]); return; }
        int rank = shape.Length, n = shape[rank - 1], xs = xStrides[rank - 1];
        Span<int> index = stackalloc int[rank];
        int xo = 0;
        for (int d = 0; d < destination.Length; d += n)
        {
            if (xs == 1) x.Slice(xo, n).CopyTo(destination.Slice(d, n));
            else destination.Slice(d, n).Fill(x[xo]);
            for (int k = rank - 2; k >= 0; k--)
            {
                xo += xStrides[k];
                if (++index[k] < shape[k]) break;
                xo -= xStrides[k] * shape[k];
                index[k] = 0;
            }
        }
    }

    /// <summary>
    /// destination = x summed down to a shape that broadcasts to x's <paramref name="shape"/> (the inverse of
    /// broadcasting); <paramref name="destStrides"/> are the destination's broadcast strides over x's shape.
    /// The summation order is fixed, so results do not depend on threads or timing.
    /// </summary>
    public static void SumTo<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, Span<T> destination, ReadOnlySpan<int> destStrides)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        destination.Clear();
        if (x.Length == 0) return;
        if (destination.Length == x.Length) { x.CopyTo(destination); return; }
        if (typeof(T) == typeof(float) && x.Length / destination.Length > LongSum)
        {
            // Each output sums more than LongSum float32 terms: a running float32 sum drifts by about its length times
            // the rounding error (ten million 0.1s summed to 1,087,937 along an axis, twenty million to 2,021,583 in
            // all). Sum in double instead; shorter sums keep their float32 order, so their bits do not change.
            var sums = (double[])BufferPool.Rent(DType.Float64, destination.Length, clear: true); // reused: a step allocates nothing
            SumRows<float, double, FloatInDouble>(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(x), shape, sums, destStrides);
            var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(destination);
            for (int i = 0; i < floats.Length; i++) floats[i] = (float)sums[i];
            BufferPool.Return(sums);
            return;
        }
        SumRows<T, T, SameType<T>>(x, shape, destination, destStrides);
    }

    /// <summary>
    /// The number of float32 terms per output above which <see cref="SumTo{T}"/> sums in double: above every sum of the
    /// training steps of <c>sharpgrad train</c> (the first convolution's bias gradient sums 32·28·28 = 25,088), so their
    /// results stay bit for bit what they were.
    /// </summary>
    internal const int LongSum = 1 << 15;

    /// <summary>How <see cref="SumRows"/> adds a row of x into its sums: element by element, or all of it into one sum.</summary>
    private interface IRowSums<TIn, TSum>
    {
        /// <summary>sums[i] += row[i].</summary>
        static abstract void AddRow(ReadOnlySpan<TIn> row, Span<TSum> sums);

        /// <summary>Σ row.</summary>
        static abstract TSum Sum(ReadOnlySpan<TIn> row);
    }

    /// <summary>Sums kept in the element type, vectorised.</summary>
    private readonly struct SameType<T> : IRowSums<T, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void AddRow(ReadOnlySpan<T> row, Span<T> sums) => TensorPrimitives.Add(sums, row, sums);

        public static T Sum(ReadOnlySpan<T> row) => TensorPrimitives.Sum(row);
    }

    /// <summary>float32 terms summed in double: a row's sum in vectorised float32 blocks of 256, the blocks added in double.</summary>
    private readonly struct FloatInDouble : IRowSums<float, double>
    {
        public static void AddRow(ReadOnlySpan<float> row, Span<double> sums)
        {
            for (int i = 0; i < row.Length; i++) sums[i] += row[i];
        }

        public static double Sum(ReadOnlySpan<float> row)
        {
            const int Block = 256;
            double sum = 0;
            for (int start = 0; start < row.Length; start += Block)
                sum += TensorPrimitives.Sum(row.Slice(start, Math.Min(Block, row.Length - start)));
            return sum;
        }
    }

    /// <summary>
    /// sums (zeroed by the caller) += x summed down to the destination's shape: row by row of x's last dimension, in a
    /// fixed order, the destination offset walked by an index odometer over the broadcast strides.
    /// </summary>
    private static void SumRows<TIn, TSum, TRows>(ReadOnlySpan<TIn> x, ReadOnlySpan<int> shape, Span<TSum> sums, ReadOnlySpan<int> destStrides)
        where TSum : INumberBase<TSum>
        where TRows : IRowSums<TIn, TSum>
    {
        if (sums.Length == 1 || shape.Length == 0) { sums[0] = TRows.Sum(x); return; }
        int rank = shape.Length, n = shape[rank - 1], ds = destStrides[rank - 1];
        Span<int> index = stackalloc int[rank];
        int o = 0;
        for (int s = 0; s < x.Length; s += n)
        {
            var row = x.Slice(s, n);
            if (ds == 1) TRows.AddRow(row, sums.Slice(o, n));
            else sums[o] += TRows.Sum(row);
            for (int k = rank - 2; k >= 0; k--)
            {
                o += destStrides[k];
                if (++index[k] < shape[k]) break;
                o -= destStrides[k] * shape[k];
                index[k] = 0;
            }
        }
    }

    /// <summary>target += g, element by element (same shapes and dtypes).</summary>
    public static void AddInPlace(Tensor target, Tensor g)
    {
        if (!Shapes.Equal(target.Shape, g.Shape) || target.DType != g.DType)
            throw new InvalidOperationException($"Cannot accumulate a gradient of shape {Shapes.Format(g.Shape)} ({g.DType}) into one of shape {Shapes.Format(target.Shape)} ({target.DType}).");
        if (target.DType == DType.Float32) AddInto<float>(target.F, g.F);
        else AddInto<double>(target.D, g.D);
        target.BumpVersion();
    }

    /// <summary>target += g in cache-sized pieces (see <see cref="CacheChunk"/>).</summary>
    private static void AddInto<T>(Span<T> target, ReadOnlySpan<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start < target.Length; start += CacheChunk)
        {
            var piece = target.Slice(start, Math.Min(CacheChunk, target.Length - start));
            TensorPrimitives.Add(piece, g.Slice(start, piece.Length), piece);
        }
    }
}
