namespace SharpGrad.Ops;

/// <summary>
/// Broadcast node: repeats x along new or size-1 dimensions to reach a shape (NumPy rules). Backward:
/// ∂L/∂x = ∂L/∂y summed over the repeated dimensions (<see cref="SumTo"/>).
/// </summary>
internal sealed class BroadcastTo : Node
{
    public override string Symbol => "broadcast";
    public override string Rule => "broadcast: the input receives the gradient summed over the copies it was broadcast into";

    public static Tensor Apply(Tensor x, ReadOnlySpan<int> shape)
    {
        if (Shapes.Equal(x.Shape, shape)) return x;
        if (!Shapes.CanBroadcastTo(x.Shape, shape))
            throw new ArgumentException($"broadcastTo: shape {Shapes.Format(x.Shape)} cannot be broadcast to {Shapes.Format(shape)}.");
        var y = Tensor.Uninitialized(x.DType, shape); // copied (the caller may change its array later), unless a reused tensor holds an equal shape
        Span<int> strides = stackalloc int[shape.Length];
        Shapes.BroadcastStrides(x.Shape, shape, strides);
        if (x.DType == DType.Float32) Kernels.Elementwise.BroadcastTo<float>(x.F, strides, y.F, y.ShapeRef);
        else Kernels.Elementwise.BroadcastTo<double>(x.D, strides, y.D, y.ShapeRef);
        return Record<BroadcastTo>(y, x);
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(SumTo.Apply(gradOutput, Input(0).ShapeRef));
}

/// <summary>
/// Sum-to node, the inverse of broadcasting: sums x over the dimensions in which <c>shape</c> has 1 or is
/// missing. Backward: ∂L/∂x = ∂L/∂y broadcast back to x's shape.
/// </summary>
internal sealed class SumTo : Node
{
    public override string Symbol => "Σ";
    public override string Rule => "sum: every summed element receives the gradient of the sum unchanged";

    public static Tensor Apply(Tensor x, ReadOnlySpan<int> shape)
    {
        if (Shapes.Equal(x.Shape, shape)) return x;
        if (!Shapes.CanBroadcastTo(shape, x.Shape))
            throw new ArgumentException($"sumTo: shape {Shapes.Format(x.Shape)} cannot be summed to {Shapes.Format(shape)}.");
        var y = Tensor.Empty(x.DType, shape); // copied unless a reused tensor holds an equal shape
        Span<int> strides = stackalloc int[x.Rank];
        Shapes.BroadcastStrides(shape, x.Shape, strides);
        if (x.DType == DType.Float32) Kernels.Elementwise.SumTo<float>(x.F, x.ShapeRef, y.F, strides);
        else Kernels.Elementwise.SumTo<double>(x.D, x.ShapeRef, y.D, strides);
        return Record<SumTo>(y, x);
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(BroadcastTo.Apply(gradOutput, Input(0).ShapeRef));
}
