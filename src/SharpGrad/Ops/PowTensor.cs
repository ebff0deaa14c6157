using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>
/// Power with a tensor exponent, element-wise with broadcasting. Forward: z = xʸ (<see cref="Math.Pow(double, double)"/>
/// semantics: (−2)² = 4, 0⁰ = 1, a negative base with a non-integer exponent is NaN). Backward:
/// ∂L/∂x = ∂L/∂z · y·xʸ⁻¹, defined as 0 where y = 0;
/// ∂L/∂y = ∂L/∂z · z·ln x, defined as 0 where x = 0 and y ≥ 0 (PyTorch's rule), NaN where x &lt; 0 (ln x is undefined).
/// Both are written with operations, so they can be differentiated again.
/// </summary>
internal sealed class PowTensor : Node
{
    public override string Symbol => "^";
    public override string OpName => "pow";
    public override string Rule => "power: the base receives the gradient times y·x^(y−1); the exponent receives the gradient times x^y·ln x";

    public static Tensor Apply(Tensor x, Tensor y)
    {
        Kernel.RequireSameDType(x, y, "pow");
        int[] shape = Shapes.Equal(x.Shape, y.Shape) ? x.ShapeRef : Shapes.Broadcast(x.Shape, y.Shape, "pow");
        Tensor xb = Expand(x, shape), yb = Expand(y, shape);
        var z = Tensor.Empty(x.DType, shape);
        if (z.Length > 0)
        {
            if (x.DType == DType.Float32) TensorPrimitives.Pow<float>(xb.F, yb.F, z.F);
            else TensorPrimitives.Pow<double>(xb.D, yb.D, z.D);
        }
        return Record<PowTensor>(z, x, y);
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        Tensor x = Input(0), y = Input(1);
        Tensor? gx = null, gy = null;
        if (NeedsGrad(0))
        {
            // Where y = 0 the exponent y − 1 is swapped for 0 so x^(y−1) stays finite (0^−1 = ∞ would make 0·∞ = NaN),
            // and the constant mask then zeroes it: a where() made of multiplications, differentiable again.
            var yIsZero = Mask(y, y, static (_, b) => b == 0);
            var local = Mul.Apply(Mul.Apply(y, Apply(x, Add.Apply(Sub.Apply(y, Tensor.Scalar(1.0, y.DType)), yIsZero))), Sub.Apply(Tensor.Scalar(1.0, y.DType), yIsZero));
            gx = SumTo.Apply(Mul.Apply(gradOutput, local), x.ShapeRef);
        }
        if (NeedsGrad(1))
        {
            // Where x = 0 and y ≥ 0, ln x is replaced by ln 1 = 0 and masked out (PyTorch's rule: z·ln x = 0·(−∞) is taken as 0).
            var zeroBase = Mask(x, y, static (a, b) => a == 0 && b >= 0);
            var keep = Sub.Apply(Tensor.Scalar(1.0, x.DType), zeroBase);
            var local = Mul.Apply(Mul.Apply(Output, Log.Apply(Add.Apply(x, zeroBase))), keep);
            gy = SumTo.Apply(Mul.Apply(gradOutput, local), y.ShapeRef);
        }
        return Gradients(gx, gy);
    }

    /// <summary>x repeated to <paramref name="shape"/> as a new contiguous buffer (no graph), or x itself when it has that shape.</summary>
    private static Tensor Expand(Tensor x, int[] shape)
    {
        if (Shapes.Equal(x.Shape, shape)) return x;
        var y = Tensor.Empty(x.DType, (int[])shape.Clone());
        var strides = Shapes.BroadcastStrides(x.Shape, shape);
        if (x.DType == DType.Float32) Kernels.Elementwise.BroadcastTo<float>(x.F, strides, y.F, y.ShapeRef);
        else Kernels.Elementwise.BroadcastTo<double>(x.D, strides, y.D, y.ShapeRef);
        return y;
    }

    /// <summary>A constant tensor of the broadcast shape holding 1 where test(a, b) holds and 0 elsewhere.</summary>
    private static Tensor Mask(Tensor a, Tensor b, Func<double, double, bool> test)
    {
        int[] shape = Shapes.Equal(a.Shape, b.Shape) ? a.ShapeRef : Shapes.Broadcast(a.Shape, b.Shape, "pow");
        Tensor ab = Expand(a, shape), bb = Expand(b, shape);
        var mask = Tensor.Empty(a.DType, shape);
        if (a.DType == DType.Float32)
            for (int i = 0; i < mask.Length; i++) mask.F[i] = test(ab.F[i], bb.F[i]) ? 1f : 0f;
        else
            for (int i = 0; i < mask.Length; i++) mask.D[i] = test(ab.D[i], bb.D[i]) ? 1.0 : 0.0;
        return mask;
    }
}
