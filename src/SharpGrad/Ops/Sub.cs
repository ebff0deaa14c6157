namespace SharpGrad.Ops;

/// <summary>
/// Subtraction node. Forward: z = x − y (broadcast). Backward: ∂L/∂x = ∂L/∂z, ∂L/∂y = −∂L/∂z (each summed back
/// to its input's shape).
/// </summary>
internal sealed class Sub : Node
{
    public override string Symbol => "−";
    public override string Rule => "subtract: passes the gradient unchanged to the left input and negated to the right";

    public static Tensor Apply(Tensor x, Tensor y) =>
        Record<Sub>(Kernel.Binary(Kernels.BinaryOp.Subtract, x, y, "sub"), x, y);

    protected override Tensor?[] BackwardCore(Tensor gradOutput) =>
        Gradients(NeedsGrad(0) ? SumTo.Apply(gradOutput, Input(0).ShapeRef) : null, NeedsGrad(1) ? SumTo.Apply(Neg.Apply(gradOutput), Input(1).ShapeRef) : null);
}
