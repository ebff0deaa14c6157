namespace SharpGrad.Ops;

/// <summary>Identity with a fresh buffer. Forward: y = x (copied). Backward: ∂L/∂x = ∂L/∂y.</summary>
internal sealed class Copy : Node
{
    public override string Symbol => "copy";
    public override string Rule => "copy: passes the gradient through unchanged";

    public static Tensor Clone(Tensor x) => Record<Copy>(Raw(x), x);

    /// <summary>A copy of the values that records nothing (for operations that build on it).</summary>
    internal static Tensor Raw(Tensor x)
    {
        var y = Tensor.Uninitialized(x.DType, x.ShapeRef);
        Array.Copy(x.Data, y.Data, x.Length);
        return y;
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(gradOutput);
}

/// <summary>Element-type conversion. Forward: y = x converted to the target dtype. Backward: ∂L/∂x = ∂L/∂y converted back.</summary>
internal sealed class Cast : Node
{
    public override string Symbol => "cast";
    public override string Rule => "cast: passes the gradient through, converted to the input's type";

    public static Tensor Apply(Tensor x, DType dtype)
    {
        var y = Tensor.Uninitialized(dtype, x.ShapeRef);
        if (dtype == DType.Float64) for (int i = 0; i < x.Length; i++) y.D[i] = x.F[i];
        else for (int i = 0; i < x.Length; i++) y.F[i] = (float)x.D[i];
        return Record<Cast>(y, x);
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(Apply(gradOutput, Input(0).DType));
}
