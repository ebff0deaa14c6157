namespace SharpGrad.Ops;

/// <summary>
/// Axis permutation (transpose): output axis i is input axis perm[i]. Backward: ∂L/∂x = ∂L/∂y permuted by the
/// inverse permutation.
/// </summary>
internal sealed class Permute : Node
{
    // The node's own copy, refilled in place when an arena reuses the node for a permutation of the same rank.
    private int[] _perm = [];

    public override string Symbol => "T";
    public override string Rule => "transpose: passes the gradient through, with the axes put back";

    public static Tensor Apply(Tensor x, ReadOnlySpan<int> perm)
    {
        if (perm.Length != x.Rank)
            throw new ArgumentException($"permute: {perm.Length} axes given for a tensor of shape {Shapes.Format(x.Shape)}.");
        // Normalised and checked on the stack (no LINQ, no set): a training step permutes every convolution's output.
        int rank = x.Rank;
        Span<int> axes = rank <= 16 ? stackalloc int[rank] : new int[rank];
        Span<bool> seen = rank <= 16 ? stackalloc bool[rank] : new bool[rank];
        bool repeated = false;
        for (int i = 0; i < rank; i++)
        {
            axes[i] = Shapes.NormalizeAxis(perm[i], x.Shape, "permute");
            repeated |= seen[axes[i]];
            seen[axes[i]] = true;
        }
        if (repeated)
            throw new ArgumentException($"permute: {Shapes.Format(axes)} is not a permutation of the axes of {Shapes.Format(x.Shape)}.");
        Span<int> shape = rank <= 16 ? stackalloc int[rank] : new int[rank];
        for (int i = 0; i < rank; i++) shape[i] = x.Shape[axes[i]];
        var y = Tensor.Uninitialized(x.DType, (ReadOnlySpan<int>)shape);
        if (x.DType == DType.Float32) Kernels.Movement.Permute<float>(x.F, x.ShapeRef, axes, y.F);
        else Kernels.Movement.Permute<double>(x.D, x.ShapeRef, axes, y.D);
        if (RecordNode<Permute>(y, x) is not { } node) return y;
        if (node._perm.Length != rank) node._perm = new int[rank];
        axes.CopyTo(node._perm);
        return y;
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        var perm = _perm;
        Span<int> inverse = perm.Length <= 16 ? stackalloc int[perm.Length] : new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return Gradients(Apply(gradOutput, inverse));
    }
}
