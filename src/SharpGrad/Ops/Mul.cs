namespace SharpGrad.Ops;

/// <summary>
/// Multiplication node. Forward: z = x · y (element-wise, broadcast); it keeps both inputs. Backward:
/// ∂L/∂x = ∂L/∂z · y and ∂L/∂y = ∂L/∂z · x: each input receives the gradient times the other input.
/// </summary>
internal sealed class Mul : Node
{
    public override string Symbol => "×";
    public override string Rule => "multiply: each input receives the gradient times the other input";

    public static Tensor Apply(Tensor x, Tensor y) =>
        Record<Mul>(Kernel.Binary(Kernels.BinaryOp.Multiply, x, y, "mul"), x, y);

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        Tensor x = Input(0), y = Input(1);
        return Gradients(NeedsGrad(0) ? SumTo.Apply(Apply(gradOutput, y), x.ShapeRef) : null, NeedsGrad(1) ? SumTo.Apply(Apply(gradOutput, x), y.ShapeRef) : null);
    }
}
