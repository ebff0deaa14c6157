namespace SharpGrad.Ops;

/// <summary>NumPy's matmul rules (1-D operands, batch broadcasting), composed from reshape, broadcast and <see cref="MatMul"/>.</summary>
internal static class MatMulRules
{
    public static Tensor Apply(Tensor a, Tensor b)
    {
        if (a.Rank == 0 || b.Rank == 0)
            throw new ArgumentException($"matmul: operands {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)} must have at least one dimension; use * for scalars.");
        if (a.Rank == 1 && b.Rank == 1)
        {
            if (a.Length != b.Length)
                throw new ArgumentException($"matmul: vectors {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)} have different lengths.");
            return (a * b).Sum();
        }
        // Checked here, on the operands as given: below, a vector operand becomes a [1, n] or [n, 1] matrix.
        int ka = a.Shape[^1], kb = b.Rank == 1 ? b.Shape[0] : b.Shape[^2];
        if (ka != kb)
            throw new ArgumentException($"matmul: shapes {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)} are not aligned: inner dimensions {ka} and {kb} differ.");
        ReadOnlySpan<int> batchA = a.Rank > 2 ? a.Shape[..^2] : default, batchB = b.Rank > 2 ? b.Shape[..^2] : default; // no allocation: Linear comes here every step
        if (!Shapes.CanBroadcastTogether(batchA, batchB))
            throw new ArgumentException($"matmul: shapes {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)} have batch dimensions {Shapes.Format(batchA)} and {Shapes.Format(batchB)}, which cannot be broadcast together.");
        if (a.Rank == 1)
        {
            var r = Apply(a.Reshape(1, a.Length), b);
            return r.Reshape(r.ShapeRef.Where((_, i) => i != r.Rank - 2).ToArray());
        }
        if (b.Rank == 1)
        {
            var r = Apply(a, b.Reshape(b.Length, 1));
            return r.Reshape(r.ShapeRef[..^1]);
        }
        if (a.Rank == 2 && b.Rank == 2) return MatMul.Apply(a, b);

        var batch = Shapes.Broadcast(a.ShapeRef[..^2], b.ShapeRef[..^2], "matmul (batch dimensions)");
        int count = Shapes.Size(batch);
        int m = a.Shape[^2], k = a.Shape[^1], n = b.Shape[^1];
        var a3 = a.BroadcastTo([.. batch, m, k]).Reshape(count, m, k);
        var b3 = b.BroadcastTo([.. batch, k, n]).Reshape(count, k, n);
        return MatMul.Apply(a3, b3).Reshape([.. batch, m, n]);
    }
}
