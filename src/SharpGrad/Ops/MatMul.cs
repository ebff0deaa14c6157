namespace SharpGrad.Ops;

/// <summary>
/// Matrix product of 2-D or batched (3-D, equal batch) operands, with either operand optionally read transposed
/// (no transposed copy is made). Forward: C = op(A)·op(B). Backward, for C = A·B: ∂L/∂A = ∂L/∂C·Bᵀ and
/// ∂L/∂B = Aᵀ·∂L/∂C; the transposed forms follow by transposing these.
/// </summary>
internal sealed class MatMul : Node
{
    private bool _transA, _transB;

    public override string Symbol => "·";
    public override string OpName => "matmul";
    public override string Rule => "matmul: the left input receives gradient · rightᵀ, the right input receives leftᵀ · gradient";

    public static Tensor Apply(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        var c = Compute(a, b, transA, transB);
        if (RecordNode<MatMul>(c, a, b) is { } node) (node._transA, node._transB) = (transA, transB);
        return c;
    }

    /// <summary>The product without recording a node (for fused operations built on it).</summary>
    internal static Tensor Compute(Tensor a, Tensor b, bool transA, bool transB)
    {
        Kernel.RequireSameDType(a, b, "matmul");
        if (a.Rank != b.Rank || a.Rank is < 2 or > 3 || (a.Rank == 3 && a.Shape[0] != b.Shape[0]))
            throw new ArgumentException($"matmul: operands {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)} are not two matrices or two equal batches of matrices.");
        int batch = a.Rank == 3 ? a.Shape[0] : 1;
        int ar = a.Shape[^2], ac = a.Shape[^1], br = b.Shape[^2], bc = b.Shape[^1];
        int m = transA ? ac : ar, k = transA ? ar : ac, kb = transB ? bc : br, n = transB ? br : bc;
        if (k != kb)
            throw new ArgumentException($"matmul: shapes {Shapes.Format(a.Shape)}{(transA ? "ᵀ" : "")} and {Shapes.Format(b.Shape)}{(transB ? "ᵀ" : "")} are not aligned: inner dimensions {k} and {kb} differ.");
        ReadOnlySpan<int> shape = a.Rank == 3 ? [batch, m, n] : [m, n];
        var c = Tensor.Uninitialized(a.DType, shape);
        for (int i = 0; i < batch; i++)
        {
            if (a.DType == DType.Float32)
                Kernels.Gemm.Multiply(a.F.AsSpan(i * m * k, m * k), b.F.AsSpan(i * k * n, k * n), c.F.AsSpan(i * m * n, m * n), m, n, k, transA, transB);
            else
                Kernels.Gemm.Multiply(a.D.AsSpan(i * m * k, m * k), b.D.AsSpan(i * k * n, k * n), c.D.AsSpan(i * m * n, m * n), m, n, k, transA, transB);
        }
        return c;
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        Tensor a = Input(0), b = Input(1), g = gradOutput;
        bool transA = _transA, transB = _transB;
        Tensor? gradA = !NeedsGrad(0) ? null : transA ? Apply(b, g, transA: transB, transB: true) : Apply(g, b, transA: false, transB: !transB);
        Tensor? gradB = !NeedsGrad(1) ? null : transB ? Apply(g, a, transA: true, transB: transA) : Apply(a, g, transA: !transA, transB: false);
        return Gradients(gradA, gradB);
    }
}
