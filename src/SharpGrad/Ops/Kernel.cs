using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>A span-to-span element-wise function, for one element type.</summary>
internal delegate void SpanMap<T>(ReadOnlySpan<T> x, Span<T> destination);

/// <summary>A span-to-span element-wise function with one scalar argument (passed in, so the function need not capture it).</summary>
internal delegate void SpanMapWith<T>(ReadOnlySpan<T> x, double argument, Span<T> destination);

/// <summary>Allocation and dtype dispatch shared by the operations: the graph code itself contains no element loops.</summary>
internal static class Kernel
{
    /// <summary>A new tensor y = f(x), element by element.</summary>
    public static Tensor Map(Tensor x, SpanMap<float> f32, SpanMap<double> f64)
    {
        var y = Tensor.Uninitialized(x.DType, x.ShapeRef);
        if (x.Length == 0) return y; // some TensorPrimitives functions reject empty spans
        if (x.DType == DType.Float32) InPieces(f32, x.F, y.F);
        else InPieces(f64, x.D, y.D);
        return y;
    }

    /// <summary>A new tensor y = f(x, argument), element by element.</summary>
    public static Tensor Map(Tensor x, double argument, SpanMapWith<float> f32, SpanMapWith<double> f64)
    {
        var y = Tensor.Uninitialized(x.DType, x.ShapeRef);
        if (x.Length == 0) return y; // some TensorPrimitives functions reject empty spans
        if (x.DType == DType.Float32) InPieces(f32, argument, x.F, y.F);
        else InPieces(f64, argument, x.D, y.D);
        return y;
    }

    /// <summary>Applies an element-wise <paramref name="f"/> with its argument in cache-sized pieces.</summary>
    private static void InPieces<T>(SpanMapWith<T> f, double argument, ReadOnlySpan<T> x, Span<T> y)
    {
        for (int start = 0; start < y.Length; start += Kernels.Elementwise.CacheChunk)
        {
            int length = Math.Min(Kernels.Elementwise.CacheChunk, y.Length - start);
            f(x.Slice(start, length), argument, y.Slice(start, length));
        }
    }

    /// <summary>Applies an element-wise <paramref name="f"/> in cache-sized pieces (see <see cref="Kernels.Elementwise.CacheChunk"/>).</summary>
    private static void InPieces<T>(SpanMap<T> f, ReadOnlySpan<T> x, Span<T> y)
    {
        for (int start = 0; start < y.Length; start += Kernels.Elementwise.CacheChunk)
        {
            int length = Math.Min(Kernels.Elementwise.CacheChunk, y.Length - start);
            f(x.Slice(start, length), y.Slice(start, length));
        }
    }

    /// <summary>z = x (op) y with NumPy broadcasting; the error for incompatible shapes names both.</summary>
    public static Tensor Binary(Kernels.BinaryOp op, Tensor x, Tensor y, string name)
    {
        RequireSameDType(x, y, name);
        // Shape and strides on the stack: a training step runs many binary operations and must not allocate. Equal
        // shapes share x's shape array; a broadcast shape is copied only when no reused tensor holds an equal one.
        int rank = Math.Max(x.Rank, y.Rank);
        Tensor z;
        if (Shapes.Equal(x.Shape, y.Shape)) z = Tensor.Uninitialized(x.DType, x.ShapeRef);
        else
        {
            Span<int> broadcast = stackalloc int[rank];
            Shapes.Broadcast(x.Shape, y.Shape, name, broadcast);
            z = Tensor.Uninitialized(x.DType, (ReadOnlySpan<int>)broadcast);
        }
        Span<int> xs = stackalloc int[rank], ys = stackalloc int[rank];
        Shapes.BroadcastStrides(x.Shape, z.Shape, xs);
        Shapes.BroadcastStrides(y.Shape, z.Shape, ys);
        if (x.DType == DType.Float32) Kernels.Elementwise.Binary<float>(op, x.F, xs, y.F, ys, z.F, z.Shape);
        else Kernels.Elementwise.Binary<double>(op, x.D, xs, y.D, ys, z.D, z.Shape);
        return z;
    }

    /// <summary>Throws when two operands have different element types.</summary>
    public static void RequireSameDType(Tensor x, Tensor y, string name)
    {
        if (x.DType != y.DType)
            throw new ArgumentException($"{name}: operands have different dtypes ({x.DType} {Shapes.Format(x.Shape)} and {y.DType} {Shapes.Format(y.Shape)}); convert one with To().");
    }

    /// <summary>A constant tensor holding 1 where x &gt; 0 and 0 elsewhere (including NaN).</summary>
    public static Tensor PositiveMask(Tensor x) => Map(x,
        static (s, d) => { for (int i = 0; i < s.Length; i++) d[i] = s[i] > 0 ? 1f : 0f; },
        static (s, d) => { for (int i = 0; i < s.Length; i++) d[i] = s[i] > 0 ? 1.0 : 0.0; });

    /// <summary>A constant tensor holding sign(x): −1, 0 or 1 (NaN stays NaN).</summary>
    public static Tensor Sign(Tensor x) => Map(x,
        static (s, d) => { for (int i = 0; i < s.Length; i++) d[i] = float.IsNaN(s[i]) ? float.NaN : MathF.Sign(s[i]); },
        static (s, d) => { for (int i = 0; i < s.Length; i++) d[i] = double.IsNaN(s[i]) ? double.NaN : Math.Sign(s[i]); });
}
