namespace SharpGrad.Ops;

/// <summary>
/// Addition node. Forward: z = x + y (broadcast). Backward: ∂L/∂x = ∂L/∂z and ∂L/∂y = ∂L/∂z, each summed back
/// to its input's shape when that input was broadcast: an add node passes the gradient through unchanged.
/// </summary>
internal sealed class Add : Node
{
    public override string Symbol => "+";
    public override string Rule => "add: passes the gradient through unchanged to each input";

    public static Tensor Apply(Tensor x, Tensor y) =>
        Record<Add>(Kernel.Binary(Kernels.BinaryOp.Add, x, y, "add"), x, y);

    protected override Tensor?[] BackwardCore(Tensor gradOutput) =>
        Gradients(NeedsGrad(0) ? SumTo.Apply(gradOutput, Input(0).ShapeRef) : null, NeedsGrad(1) ? SumTo.Apply(gradOutput, Input(1).ShapeRef) : null);
}
