using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>
/// Fused affine map (the book's Affine layer): y = x·Wᵀ + b, with x [N, in], W [out, in], b [out]. The bias is
/// added into the matrix product's output in place, saving a pass and a buffer over matmul-then-add. Backward:
/// ∂L/∂x = ∂L/∂y·W, ∂L/∂W = (∂L/∂y)ᵀ·x, ∂L/∂b = Σₙ ∂L/∂yₙ (written with operations, so it can be differentiated again).
/// </summary>
internal sealed class Linear : Node
{
    public override string Symbol => "affine";
    public override string OpName => "linear";
    public override string Rule => "affine: x receives gradient·W, W receives gradientᵀ·x, b receives the gradient summed over the batch";

    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias)
    {
        var y = MatMul.Compute(x, weight, transA: false, transB: true); // validates shapes and dtypes
        if (bias is not null)
        {
            Kernel.RequireSameDType(y, bias, "linear");
            if (bias.Rank != 1 || bias.Length != y.Shape[1])
                throw new ArgumentException($"linear: bias of shape {Shapes.Format(bias.Shape)} does not match output features {y.Shape[1]}.");
            int n = y.Shape[0], f = y.Shape[1];
            if (y.DType == DType.Float32) AddToEveryRow<float>(y.F, bias.F, n, f);
            else AddToEveryRow<double>(y.D, bias.D, n, f);
        }
        return bias is null ? Record<Linear>(y, x, weight) : Record<Linear>(y, x, weight, bias);
    }

    /// <summary>y[r, :] += bias for every row r (the forward's bias).</summary>
    private static void AddToEveryRow<T>(Span<T> y, ReadOnlySpan<T> bias, int rows, int features) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            var row = y.Slice(r * features, features);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>target += Σ_r rows[r, :] (the bias gradient, added into its buffer).</summary>
    private static void AddSumOfRows<T>(Span<T> target, ReadOnlySpan<T> rows, int count, int features) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int r = 0; r < count; r++) TensorPrimitives.Add(target, rows.Slice(r * features, features), target);
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        Tensor x = Input(0), w = Input(1);
        var gx = NeedsGrad(0) ? MatMul.Apply(gradOutput, w) : null;
        Tensor? gw = null;
        if (NeedsGrad(1))
        {
            if (AccumulateTarget(1, out bool overwrite) is { } target)
            {
                // ∂L/∂W (+)= gᵀ·x straight into the existing gradient buffer: no temporary.
                int n = x.Shape[0], inF = x.Shape[1], outF = w.Shape[0];
                if (x.DType == DType.Float32) Kernels.Gemm.Multiply(gradOutput.F, x.F, target.F, outF, inF, n, transA: true, accumulate: !overwrite);
                else Kernels.Gemm.Multiply(gradOutput.D, x.D, target.D, outF, inF, n, transA: true, accumulate: !overwrite);
                gw = Accumulated;
            }
            else gw = MatMul.Apply(gradOutput, x, transA: true);
        }
        if (Inputs.Count == 2) return Gradients(gx, gw);
        Tensor? gb = null;
        if (NeedsGrad(2))
        {
            if (AccumulateTarget(2, out bool overwrite) is { } target)
            {
                int n = gradOutput.Shape[0], f = gradOutput.Shape[1];
                if (overwrite) Array.Clear(target.Data); // a few hundred values: the sum below then adds into zeros
                if (target.DType == DType.Float32) AddSumOfRows<float>(target.F, gradOutput.F, n, f);
                else AddSumOfRows<double>(target.D, gradOutput.D, n, f);
                gb = Accumulated;
            }
            else gb = SumTo.Apply(gradOutput, Input(2).ShapeRef);
        }
        return Gradients(gx, gw, gb);
    }
}
