namespace SharpGrad.Ops;

/// <summary>
/// Maximum along one axis. Forward: y = max_j x[…, j, …]. Backward: ∂L/∂x = ∂L/∂y at the position of the
/// maximum and 0 elsewhere. With ties, the whole gradient goes to the first maximal position (so the gradients
/// reaching the tied positions sum to the upstream gradient). A NaN along the axis makes the maximum NaN.
/// </summary>
internal sealed class Max : Node
{
    private Tensor? _mask; // set on the recorded node, so an arena can reuse it

    public override string Symbol => "max";
    public override string Rule => "max: the gradient goes to the position of the maximum (the first, if tied); the others receive 0";

    public static Tensor Apply(Tensor x, int axis, bool keepDims)
    {
        axis = Shapes.NormalizeAxis(axis, x.Shape, "max");
        int n = x.Shape[axis];
        if (n == 0) throw new ArgumentException($"max: axis {axis} of shape {Shapes.Format(x.Shape)} is empty.");
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= x.Shape[i];
        for (int i = axis + 1; i < x.Rank; i++) inner *= x.Shape[i];
        Span<int> kept = x.Rank <= 16 ? stackalloc int[x.Rank] : new int[x.Rank];
        x.Shape.CopyTo(kept);
        kept[axis] = 1;
        var y = Tensor.Empty(x.DType, (ReadOnlySpan<int>)kept);
        var mask = Tensor.Empty(x.DType, x.ShapeRef);
        if (x.DType == DType.Float32) Kernels.Reductions.MaxAlongAxis<float>(x.F, outer, n, inner, y.F, mask.F);
        else Kernels.Reductions.MaxAlongAxis<double>(x.D, outer, n, inner, y.D, mask.D);
        if (RecordNode<Max>(y, x) is { } node) node._mask = mask;
        if (keepDims) return y;
        // The kept shape without the reduced axis: its dimensions before and after it, moved together.
        kept[(axis + 1)..].CopyTo(kept[axis..]);
        return Reshape.Apply(y, kept[..^1]);
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        var mask = _mask ?? throw new InvalidOperationException("max: saved mask was released.");
        return Gradients(Mul.Apply(BroadcastTo.Apply(gradOutput, Input(0).ShapeRef), mask));
    }

    protected override void ReleaseSaved() => _mask = null;
}
