namespace SharpGrad.Ops;

/// <summary>
/// Reshape node: the same values in row-major order under a new shape (sharing storage). Backward:
/// ∂L/∂x = ∂L/∂y reshaped to x's shape.
/// </summary>
internal sealed class Reshape : Node
{
    public override string Symbol => "reshape";
    public override string Rule => "reshape: passes the gradient through, reshaped to the input's shape";

    /// <summary>x under <paramref name="shape"/> (one dimension may be −1); x itself when the shape is unchanged.</summary>
    public static Tensor Apply(Tensor x, ReadOnlySpan<int> shape)
    {
        // Resolved on the stack, and copied into the output only when no reused tensor holds an equal shape: a
        // training step reshapes at every convolution and must not allocate.
        Span<int> resolved = shape.Length <= 16 ? stackalloc int[shape.Length] : new int[shape.Length];
        Resolve(shape, x, resolved);
        if (Shapes.Equal(resolved, x.Shape)) return x;
        return Record<Reshape>(Tensor.Create(x.Data, null, resolved, ownsData: false).ShareVersionWith(x), x);
    }

    /// <summary>Fills in a single −1 dimension and checks the element count.</summary>
    private static void Resolve(ReadOnlySpan<int> shape, Tensor x, Span<int> resolved)
    {
        shape.CopyTo(resolved);
        int unknown = shape.IndexOf(-1);
        if (unknown >= 0)
        {
            long known = 1;
            for (int i = 0; i < shape.Length; i++) if (i != unknown) known *= shape[i];
            if (known == 0 || x.Length % known != 0 || shape.LastIndexOf(-1) != unknown)
                throw new ArgumentException($"reshape: cannot reshape {Shapes.Format(x.Shape)} ({x.Length} elements) to {Shapes.Format(shape)}.");
            resolved[unknown] = (int)(x.Length / known);
        }
        bool negative = false;
        foreach (int d in resolved) negative |= d < 0;
        if (negative || Shapes.Size(resolved) != x.Length)
            throw new ArgumentException($"reshape: cannot reshape {Shapes.Format(x.Shape)} ({x.Length} elements) to {Shapes.Format(resolved)}.");
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(Apply(gradOutput, Input(0).ShapeRef));
}
