namespace SharpGrad.Ops;

/// <summary>
/// Axis permutation (transpose): output axis i is input axis perm[i]. Backward: ∂L/∂x = ∂L/∂y permuted by the
/// inverse permutation.
/// </summary>
internal sealed class Permute(int[] perm) : Node
{
    public override string Symbol => "T";
    public override string Rule => "transpose: passes the gradient through, with the axes put back";

    public static Tensor Apply(Tensor x, int[] perm)
    {
        if (perm.Length != x.Rank)
            throw new ArgumentException($"permute: {perm.Length} axes given for a tensor of shape {Shapes.Format(x.Shape)}.");
        perm = perm.Select(a => Shapes.NormalizeAxis(a, x.Rank)).ToArray();
        if (perm.Distinct().Count() != perm.Length)
            throw new ArgumentException($"permute: [{string.Join(", ", perm)}] is not a permutation of the axes of {Shapes.Format(x.Shape)}.");
        var shape = perm.Select(a => x.Shape[a]).ToArray();
        var y = Tensor.Uninitialized(x.DType, shape);
        if (x.DType == DType.Float32) Kernels.Movement.Permute<float>(x.F, x.ShapeRef, perm, y.F);
        else Kernels.Movement.Permute<double>(x.D, x.ShapeRef, perm, y.D);
        return Record(() => new Permute(perm), y, x);
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return Gradients(Apply(gradOutput, inverse));
    }
}
