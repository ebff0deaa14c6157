using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>A span-to-span element-wise function, for one element type.</summary>
internal delegate void SpanMap<T>(ReadOnlySpan<T> x, Span<T> destination);

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
        int[] shape = Shapes.Equal(x.Shape, y.Shape) ? x.ShapeRef : Shapes.Broadcast(x.Shape, y.Shape, name);
        var z = Tensor.Uninitialized(x.DType, shape);
        var xs = Shapes.BroadcastStrides(x.Shape, shape);
        var ys = Shapes.BroadcastStrides(y.Shape, shape);
        if (x.DType == DType.Float32) Kernels.Elementwise.Binary<float>(op, x.F, xs, y.F, ys, z.F, shape);
        else Kernels.Elementwise.Binary<double>(op, x.D, xs, y.D, ys, z.D, shape);
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
