namespace SharpGrad.Ops;

/// <summary>
/// Division node. Forward: z = x / y (broadcast). Backward: ∂L/∂x = ∂L/∂z / y and ∂L/∂y = −∂L/∂z · x / y².
/// </summary>
internal sealed class Div : Node
{
    public override string Symbol => "÷";
    public override string Rule => "divide: the numerator receives the gradient divided by the denominator; the denominator receives −gradient · numerator / denominator²";

    public static Tensor Apply(Tensor x, Tensor y) =>
        Record<Div>(Kernel.Binary(Kernels.BinaryOp.Divide, x, y, "div"), x, y);

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        Tensor x = Input(0), y = Input(1);
        var gx = NeedsGrad(0) ? SumTo.Apply(Apply(gradOutput, y), x.ShapeRef) : null;
        var gy = NeedsGrad(1) ? SumTo.Apply(Neg.Apply(Mul.Apply(gradOutput, Apply(x, Mul.Apply(y, y)))), y.ShapeRef) : null;
        return Gradients(gx, gy);
    }
}
