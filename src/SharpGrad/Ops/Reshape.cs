namespace SharpGrad.Ops;

/// <summary>
/// Reshape node: the same values in row-major order under a new shape (sharing storage). Backward:
/// ∂L/∂x = ∂L/∂y reshaped to x's shape.
/// </summary>
internal sealed class Reshape : Node
{
    public override string Symbol => "reshape";
    public override string Rule => "reshape: passes the gradient through, reshaped to the input's shape";

    public static Tensor Apply(Tensor x, int[] shape)
    {
        shape = Resolve(shape, x);
        if (Shapes.Equal(shape, x.Shape)) return x;
        return Record<Reshape>(Tensor.Create(x.Data, shape, default, ownsData: false), x);
    }

    /// <summary>Fills in a single −1 dimension and checks the element count.</summary>
    private static int[] Resolve(int[] shape, Tensor x)
    {
        shape = (int[])shape.Clone();
        int unknown = Array.IndexOf(shape, -1);
        if (unknown >= 0)
        {
            long known = 1;
            for (int i = 0; i < shape.Length; i++) if (i != unknown) known *= shape[i];
            if (known == 0 || x.Length % known != 0 || Array.LastIndexOf(shape, -1) != unknown)
                throw new ArgumentException($"reshape: cannot reshape {Shapes.Format(x.Shape)} ({x.Length} elements) to {Shapes.Format(shape)}.");
            shape[unknown] = (int)(x.Length / known);
        }
        if (shape.Any(d => d < 0) || Shapes.Size(shape) != x.Length)
            throw new ArgumentException($"reshape: cannot reshape {Shapes.Format(x.Shape)} ({x.Length} elements) to {Shapes.Format(shape)}.");
        return shape;
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(Apply(gradOutput, Input(0).ShapeRef));
}
