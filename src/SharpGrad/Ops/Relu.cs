using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>
/// Rectified linear unit. Forward: y = max(x, 0), with NaN passed through as NaN. Backward:
/// ∂L/∂x = ∂L/∂y where x &gt; 0, else 0 (the derivative at 0 is taken as 0).
/// </summary>
internal sealed class Relu : Node
{
    public override string Symbol => "relu";
    public override string Rule => "relu: passes the gradient where the input was positive, 0 elsewhere";

    public static Tensor Apply(Tensor x) =>
        Record<Relu>(Kernel.Map(x, static (s, d) => TensorPrimitives.Max(s, 0f, d), static (s, d) => TensorPrimitives.Max(s, 0.0, d)), x);

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        if (GradMode.IsEnabled) return Gradients(Mul.Apply(gradOutput, Kernel.PositiveMask(Input(0)))); // recorded: keep it differentiable
        // Fused: one pass, one buffer (instead of building a mask and multiplying).
        var x = Input(0);
        var gx = Tensor.Uninitialized(x.DType, x.ShapeRef);
        if (x.DType == DType.Float32) Masked<float>(gradOutput.F, x.F, gx.F);
        else Masked<double>(gradOutput.D, x.D, gx.D);
        return Gradients(gx);
    }

    /// <summary>destination[i] = x[i] &gt; 0 ? g[i] : 0, vectorised.</summary>
    private static void Masked<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            int width = System.Numerics.Vector<T>.Count;
            for (; i <= destination.Length - width; i += width)
            {
                var positive = System.Numerics.Vector.GreaterThan(new System.Numerics.Vector<T>(x[i..]), System.Numerics.Vector<T>.Zero);
                System.Numerics.Vector.ConditionalSelect(positive, new System.Numerics.Vector<T>(g[i..]), System.Numerics.Vector<T>.Zero).CopyTo(destination[i..]);
            }
        }
        for (; i < destination.Length; i++) destination[i] = x[i] > T.Zero ? g[i] : T.Zero;
    }
}
